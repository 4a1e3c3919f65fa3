-- Stored facts are only ever current: any write to a post's snapshots, or to its publishing
-- moment, deletes its post_fact row (the queries then compute that post from its snapshots
-- until the next import stores its facts again). Statement-level, so a batch costs one delete.
CREATE FUNCTION post_fact_forget_snapshot_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM post_fact WHERE post_id IN (SELECT DISTINCT post_id FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER metric_snapshot_inserted_forgets_facts AFTER INSERT ON metric_snapshot
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();
CREATE TRIGGER metric_snapshot_updated_forgets_facts AFTER UPDATE ON metric_snapshot
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();
CREATE TRIGGER metric_snapshot_deleted_forgets_facts AFTER DELETE ON metric_snapshot
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_snapshot_posts();

CREATE FUNCTION post_fact_forget_republished_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM post_fact WHERE post_id IN (
    SELECT after_rows.id FROM after_rows JOIN before_rows ON before_rows.id = after_rows.id
    WHERE before_rows.published_at IS DISTINCT FROM after_rows.published_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER post_republished_forgets_facts AFTER UPDATE ON post
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_fact_forget_republished_posts();
