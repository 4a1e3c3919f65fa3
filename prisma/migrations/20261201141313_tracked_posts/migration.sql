-- CreateTable
CREATE TABLE "tracked_post" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "campaign_id" INTEGER,
    "fee" DECIMAL(14,2),
    "creator_handle" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "state" TEXT NOT NULL DEFAULT 'active',
    "stop_reason" TEXT,
    "next_collection_at" TIMESTAMPTZ(3) NOT NULL,
    "last_collected_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracked_post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tracked_post_state_next_collection_at_idx" ON "tracked_post"("state", "next_collection_at");

-- CreateIndex
CREATE UNIQUE INDEX "tracked_post_workspace_id_platform_external_id_key" ON "tracked_post"("workspace_id", "platform", "external_id");

-- AddForeignKey
ALTER TABLE "tracked_post" ADD CONSTRAINT "tracked_post_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracked_post" ADD CONSTRAINT "tracked_post_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;
