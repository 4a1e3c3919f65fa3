-- CreateTable
CREATE TABLE "creator_fact_sum" (
    "creator_id" INTEGER NOT NULL,
    "last_published_at" TIMESTAMPTZ(3) NOT NULL,
    "last_captured_at" TIMESTAMPTZ(3),
    "sums" JSONB NOT NULL,
    "shape" TEXT NOT NULL,

    CONSTRAINT "creator_fact_sum_pkey" PRIMARY KEY ("creator_id")
);

-- AddForeignKey
ALTER TABLE "creator_fact_sum" ADD CONSTRAINT "creator_fact_sum_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Stored creator sums are only ever current: a write to a creator's followers, to any of their
-- posts (added, removed, moved, re-priced, republished) or to their posts' stored facts deletes
-- the creator's row; the import stores it again once every post of the creator has facts.
-- Statement-level, so a batch costs one delete.
CREATE FUNCTION creator_fact_sum_forget_fact_creators() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM creator_fact_sum WHERE creator_id IN (
    SELECT p.creator_id FROM post p WHERE p.id IN (SELECT post_id FROM changed_rows));
  RETURN NULL;
END
$$;

CREATE TRIGGER post_fact_inserted_forgets_creator_sums AFTER INSERT ON post_fact
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_fact_creators();
CREATE TRIGGER post_fact_updated_forgets_creator_sums AFTER UPDATE ON post_fact
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_fact_creators();
CREATE TRIGGER post_fact_deleted_forgets_creator_sums AFTER DELETE ON post_fact
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_fact_creators();

CREATE FUNCTION creator_fact_sum_forget_post_creators() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM creator_fact_sum WHERE creator_id IN (SELECT creator_id FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER post_inserted_forgets_creator_sums AFTER INSERT ON post
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_post_creators();
CREATE TRIGGER post_deleted_forgets_creator_sums AFTER DELETE ON post
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_post_creators();

CREATE FUNCTION creator_fact_sum_forget_changed_post_creators() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM creator_fact_sum WHERE creator_id IN (
    SELECT unnest(ARRAY[before_rows.creator_id, after_rows.creator_id])
    FROM after_rows JOIN before_rows ON before_rows.id = after_rows.id
    WHERE (before_rows.creator_id, before_rows.fee, before_rows.published_at)
      IS DISTINCT FROM (after_rows.creator_id, after_rows.fee, after_rows.published_at));
  RETURN NULL;
END
$$;

CREATE TRIGGER post_changed_forgets_creator_sums AFTER UPDATE ON post
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_changed_post_creators();

CREATE FUNCTION creator_fact_sum_forget_refollowed_creators() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM creator_fact_sum WHERE creator_id IN (
    SELECT after_rows.id FROM after_rows JOIN before_rows ON before_rows.id = after_rows.id
    WHERE before_rows.followers IS DISTINCT FROM after_rows.followers);
  RETURN NULL;
END
$$;

CREATE TRIGGER creator_followers_forget_creator_sums AFTER UPDATE ON creator
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION creator_fact_sum_forget_refollowed_creators();
