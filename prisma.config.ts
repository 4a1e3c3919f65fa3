import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads a native schema engine for every command, even `generate`,
// which never runs it. Where that binary is missing (no access to Prisma's CDN), point
// the CLI at a stand-in that explains how this project migrates instead.
const enginesDir = fileURLToPath(new URL("./node_modules/@prisma/engines/", import.meta.url));
const hasSchemaEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"));
if (!hasSchemaEngine && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(
    new URL("./scripts/no-schema-engine.sh", import.meta.url),
  );
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
