-- CreateTable
CREATE TABLE "post_fact" (
    "post_id" INTEGER NOT NULL,
    "last_captured_at" TIMESTAMPTZ(3),
    "observed_age" DOUBLE PRECISION,
    "impressions" DOUBLE PRECISION,
    "reach" DOUBLE PRECISION,
    "views" DOUBLE PRECISION,
    "likes" DOUBLE PRECISION,
    "comments" DOUBLE PRECISION,
    "shares" DOUBLE PRECISION,
    "saves" DOUBLE PRECISION,
    "clicks" DOUBLE PRECISION,
    "redemptions" DOUBLE PRECISION,
    "conversions" DOUBLE PRECISION,
    "revenue" DOUBLE PRECISION,
    "clicks3" DOUBLE PRECISION,
    "e7" DOUBLE PRECISION,
    "e14" DOUBLE PRECISION,
    "e21" DOUBLE PRECISION,
    "e28" DOUBLE PRECISION,
    "half_life" DOUBLE PRECISION,

    CONSTRAINT "post_fact_pkey" PRIMARY KEY ("post_id")
);

-- AddForeignKey
ALTER TABLE "post_fact" ADD CONSTRAINT "post_fact_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
