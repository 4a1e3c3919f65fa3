-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "private_charts" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "slack_installation" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "install_key" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "installation_ciphertext" TEXT NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_installation_workspace_id_key" ON "slack_installation"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "slack_installation_install_key_key" ON "slack_installation"("install_key");

-- AddForeignKey
ALTER TABLE "slack_installation" ADD CONSTRAINT "slack_installation_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
