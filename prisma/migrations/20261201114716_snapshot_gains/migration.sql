-- CreateTable
CREATE TABLE "snapshot_gain" (
    "post_id" INTEGER NOT NULL,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "engagements" DOUBLE PRECISION NOT NULL,
    "clicks" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "snapshot_gain_pkey" PRIMARY KEY ("post_id","captured_at")
);

-- AddForeignKey
ALTER TABLE "snapshot_gain" ADD CONSTRAINT "snapshot_gain_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Gains are kept with the facts: a write that makes a post's facts go also takes its gains.
CREATE OR REPLACE FUNCTION post_fact_forget_snapshot_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM post_fact WHERE post_id IN (SELECT DISTINCT post_id FROM changed_rows);
  DELETE FROM snapshot_gain WHERE post_id IN (SELECT DISTINCT post_id FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION post_fact_forget_republished_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH republished AS (
    SELECT after_rows.id FROM after_rows JOIN before_rows ON before_rows.id = after_rows.id
    WHERE before_rows.published_at IS DISTINCT FROM after_rows.published_at
  ), forgotten AS (DELETE FROM post_fact WHERE post_id IN (SELECT id FROM republished))
  DELETE FROM snapshot_gain WHERE post_id IN (SELECT id FROM republished);
  RETURN NULL;
END
$$;

-- Facts stored before gains existed have none: forget them (computed from snapshots until the next import).
DELETE FROM post_fact;
