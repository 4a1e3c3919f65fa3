-- CreateTable
CREATE TABLE "tier_median" (
    "workspace_id" INTEGER NOT NULL,
    "tier" TEXT NOT NULL,
    "boundaries" INTEGER[],
    "as_of" TIMESTAMPTZ(3),
    "medians" JSONB NOT NULL,
    "shape" TEXT NOT NULL,

    CONSTRAINT "tier_median_pkey" PRIMARY KEY ("workspace_id","tier")
);

-- AddForeignKey
ALTER TABLE "tier_median" ADD CONSTRAINT "tier_median_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Stored tier medians are only ever current: any write to a creator's stored sums (which the
-- database itself deletes on a write to the creator's followers, posts or facts), or a creator
-- removed, deletes the workspace's medians; the import stores them again with the sums.
CREATE FUNCTION tier_median_forget_sum_workspaces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tier_median WHERE workspace_id IN (
    SELECT c.workspace_id FROM creator c WHERE c.id IN (SELECT creator_id FROM changed_rows));
  RETURN NULL;
END
$$;

CREATE TRIGGER creator_fact_sum_inserted_forgets_tier_medians AFTER INSERT ON creator_fact_sum
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_median_forget_sum_workspaces();
CREATE TRIGGER creator_fact_sum_updated_forgets_tier_medians AFTER UPDATE ON creator_fact_sum
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_median_forget_sum_workspaces();
CREATE TRIGGER creator_fact_sum_deleted_forgets_tier_medians AFTER DELETE ON creator_fact_sum
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_median_forget_sum_workspaces();

CREATE FUNCTION tier_median_forget_creator_workspaces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tier_median WHERE workspace_id IN (SELECT workspace_id FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER creator_deleted_forgets_tier_medians AFTER DELETE ON creator
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_median_forget_creator_workspaces();
