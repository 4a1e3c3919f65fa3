-- CreateTable
CREATE TABLE "teams_conversation" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "conversation_type" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "service_url" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "bot_name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teams_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "teams_conversation_workspace_id_conversation_id_key" ON "teams_conversation"("workspace_id", "conversation_id");

-- AddForeignKey
ALTER TABLE "teams_conversation" ADD CONSTRAINT "teams_conversation_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
