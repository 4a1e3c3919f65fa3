-- metric_snapshot partitioned by capture time: one partition per calendar month (UTC), plus a
-- DEFAULT one for any month without its own yet. Prisma's schema cannot say this; the table keeps
-- the same columns, primary key (post_id, captured_at), foreign key and fact-forgetting triggers,
-- so the schema and every query stay as they were. The partitions live in their own schema,
-- metric_snapshot_partitions, which Prisma does not look at (npm run db:diff -- --check).
-- ensure_metric_snapshot_months(from, to) makes the months of that span that are missing; every
-- store opening asks for the 12 months before to the 2 after its clock (src/store/partitions.ts),
-- and rows that reached DEFAULT meanwhile move to their month when it is made.
CREATE SCHEMA metric_snapshot_partitions;

CREATE FUNCTION ensure_metric_snapshot_months(from_time timestamptz, to_time timestamptz)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamptz := date_trunc('month', from_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  month_end timestamptz;
  name text;
  made integer := 0;
BEGIN
  -- Two processes opening together make each month once.
  PERFORM pg_advisory_xact_lock(hashtext('ensure_metric_snapshot_months'));
  WHILE month_start <= to_time LOOP
    month_end := month_start + interval '1 month';
    name := 'metric_snapshot_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
    IF to_regclass('metric_snapshot_partitions.' || name) IS NULL THEN
      -- Made apart and attached, so rows of that month already in DEFAULT can move first.
      EXECUTE format('CREATE TABLE metric_snapshot_partitions.%I (LIKE public.metric_snapshot INCLUDING DEFAULTS)', name);
      EXECUTE format(
        'WITH moved AS (DELETE FROM metric_snapshot_partitions.metric_snapshot_default '
        'WHERE captured_at >= %L AND captured_at < %L RETURNING *) '
        'INSERT INTO metric_snapshot_partitions.%I SELECT * FROM moved', month_start, month_end, name);
      EXECUTE format('ALTER TABLE public.metric_snapshot ATTACH PARTITION metric_snapshot_partitions.%I '
        'FOR VALUES FROM (%L) TO (%L)', name, month_start, month_end);
      made := made + 1;
    END IF;
    month_start := month_end;
  END LOOP;
  RETURN made;
END
$$;

ALTER TABLE "metric_snapshot" RENAME TO "metric_snapshot_unpartitioned";
ALTER TABLE "metric_snapshot_unpartitioned" RENAME CONSTRAINT "metric_snapshot_pkey" TO "metric_snapshot_unpartitioned_pkey";
ALTER TABLE "metric_snapshot_unpartitioned" RENAME CONSTRAINT "metric_snapshot_post_id_fkey" TO "metric_snapshot_unpartitioned_post_id_fkey";

CREATE TABLE "metric_snapshot" (
    "post_id" INTEGER NOT NULL,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "impressions" BIGINT,
    "reach" BIGINT,
    "views" BIGINT,
    "likes" BIGINT,
    "comments" BIGINT,
    "shares" BIGINT,
    "saves" BIGINT,
    "clicks" BIGINT,
    "redemptions" BIGINT,
    "conversions" BIGINT,
    "revenue" DECIMAL(14,2),

    CONSTRAINT "metric_snapshot_pkey" PRIMARY KEY ("post_id","captured_at")
) PARTITION BY RANGE ("captured_at");
ALTER TABLE "metric_snapshot" ADD CONSTRAINT "metric_snapshot_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE metric_snapshot_partitions.metric_snapshot_default PARTITION OF "metric_snapshot" DEFAULT;

-- The months the existing snapshots fall in, then the snapshots themselves (before the triggers:
-- moving rows changes no post's facts).
SELECT ensure_metric_snapshot_months(min(captured_at), max(captured_at))
FROM "metric_snapshot_unpartitioned" HAVING count(*) > 0;
INSERT INTO "metric_snapshot" SELECT * FROM "metric_snapshot_unpartitioned";
DROP TABLE "metric_snapshot_unpartitioned";

CREATE TRIGGER metric_snapshot_inserted_forgets_facts AFTER INSERT ON metric_snapshot
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();
CREATE TRIGGER metric_snapshot_updated_forgets_facts AFTER UPDATE ON metric_snapshot
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();
CREATE TRIGGER metric_snapshot_deleted_forgets_facts AFTER DELETE ON metric_snapshot
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();
