-- CreateIndex
CREATE INDEX "creator_workspace_id_handle_idx" ON "creator"("workspace_id", "handle");
