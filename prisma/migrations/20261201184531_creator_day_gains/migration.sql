-- CreateTable
CREATE TABLE "creator_day_gain" (
    "creator_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "engagements" DOUBLE PRECISION NOT NULL,
    "clicks" DOUBLE PRECISION NOT NULL,
    "sustained_engagements" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "creator_day_gain_pkey" PRIMARY KEY ("creator_id","day")
);

-- CreateIndex
CREATE INDEX "snapshot_gain_captured_at_idx" ON "snapshot_gain"("captured_at");

-- AddForeignKey
ALTER TABLE "creator_day_gain" ADD CONSTRAINT "creator_day_gain_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "creator_fact_sum"("creator_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Creators whose sums are stored already get their day gains now (refreshMissingCreatorSums
-- writes them with the sums from here on): the weekly activity reads them for every creator with
-- stored sums.
INSERT INTO "creator_day_gain" ("creator_id", "day", "engagements", "clicks", "sustained_engagements")
SELECT p.creator_id, (g.captured_at AT TIME ZONE 'UTC')::date, sum(g.engagements), sum(g.clicks),
  coalesce(sum(g.engagements) FILTER (WHERE g.captured_at > p.published_at + interval '7 days'), 0)
FROM "snapshot_gain" g JOIN "post" p ON p.id = g.post_id
WHERE p.creator_id IN (SELECT creator_id FROM "creator_fact_sum")
GROUP BY 1, 2;
