-- The import writes one gain per snapshot it stores, and the foreign key checked each against
-- post, one row at a time (as long as storing the gains). Gains need no key of their own: they
-- are written only from a post's snapshots, and go whenever those snapshots change or go
-- (post_fact_forget_snapshot_posts, also when a deleted post takes its snapshots with it).
ALTER TABLE "snapshot_gain" DROP CONSTRAINT "snapshot_gain_post_id_fkey";
