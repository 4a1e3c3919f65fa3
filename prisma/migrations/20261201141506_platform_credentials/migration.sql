-- CreateTable
CREATE TABLE "platform_credential" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "account_id" TEXT,
    "secret_ciphertext" TEXT NOT NULL,
    "set_at" TIMESTAMPTZ(3) NOT NULL,
    "problem" TEXT,
    "problem_at" TIMESTAMPTZ(3),

    CONSTRAINT "platform_credential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "platform_credential_workspace_id_platform_subject_key" ON "platform_credential"("workspace_id", "platform", "subject");

-- AddForeignKey
ALTER TABLE "platform_credential" ADD CONSTRAINT "platform_credential_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
