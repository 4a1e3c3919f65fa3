import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

/** Probe files, each one import, linted with the project's biome.json: the house rules as checks. */
const PROBES: Record<string, string> = {
  "src/slack/usesDatabase.ts": 'import type { Store } from "../store/database.ts";',
  "src/slack/usesPrisma.ts": 'import type { PrismaClient } from "../generated/prisma/client.ts";',
  "src/slack/usesInstallations.ts": 'import type { InstallationsDb } from "../store/slackInstallations.ts";',
  "src/slack/installationStore.ts": 'import type { PrismaClient } from "../generated/prisma/client.ts";',
  "src/render/usesPrisma.ts": 'import type { Post } from "../generated/prisma/client.ts";',
  "src/render/usesStore.ts": 'import type { Workspace } from "../store/workspaces.ts";',
  "src/commands/usesSlack.ts": 'import type { SlackDeps } from "../slack/deps.ts";',
  "src/insights/usesTeams.ts": 'import type { TeamsSettings } from "../teams/config.ts";',
  "src/schedule/usesSlack.ts": 'import { slackSender } from "../slack/sender.ts";',
  "src/schedule/usesPrisma.ts": 'import type { PrismaClient } from "../generated/prisma/client.ts";',
  "src/schedule/usesOutbox.ts": 'import { claimDue } from "../store/outbox.ts";',
  "src/conversation/usesStore.ts": 'import type { Store } from "../store/database.ts";',
  "src/teams/usesDatabase.ts": 'import type { Store } from "../store/database.ts";',
  "src/teams/usesOutbox.ts": 'import { claimDue } from "../store/outbox.ts";',
  "src/teams/usesPrisma.ts": 'import type { PrismaClient } from "../generated/prisma/client.ts";',
  "src/teams/usesSlack.ts": 'import type { SlackDeps } from "../slack/deps.ts";',
  "src/teams/usesConversations.ts":
    'import type { TeamsConversationsDb } from "../store/teamsConversations.ts";',
  "src/ingest/usesSlack.ts": 'import { slackSender } from "../slack/sender.ts";',
  "src/ingest/usesTeams.ts": 'import type { TeamsSettings } from "../teams/config.ts";',
  "src/ingest/usesStore.ts": 'import type { Store } from "../store/database.ts";',
};

interface Diagnostic {
  category: string;
  location: { path: string };
}

describe("biome.json's noRestrictedImports rules", () => {
  let dir: string;
  let refused: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "longtail-lint-"));
    copyFileSync(join(ROOT, "biome.json"), join(dir, "biome.json"));
    for (const [path, line] of Object.entries(PROBES)) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), `${line}\nexport const probe = 1;\n`);
    }
    const biome = join(ROOT, "node_modules/.bin/biome");
    const { stdout } = await run(biome, ["lint", "--reporter=json", "--max-diagnostics=100", "."], {
      cwd: dir,
    }).catch((failed: { stdout: string }) => failed);
    const diagnostics = (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
    refused = diagnostics
      .filter((d) => d.category === "lint/style/noRestrictedImports")
      .map((d) => d.location.path)
      .sort();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuse each import that crosses a layer, and only those", () => {
    expect(refused).toEqual([
      "src/commands/usesSlack.ts",
      "src/ingest/usesSlack.ts",
      "src/ingest/usesTeams.ts",
      "src/insights/usesTeams.ts",
      "src/render/usesPrisma.ts",
      "src/render/usesStore.ts",
      "src/schedule/usesPrisma.ts",
      "src/schedule/usesSlack.ts",
      "src/slack/usesDatabase.ts",
      "src/slack/usesPrisma.ts",
      "src/teams/usesDatabase.ts",
      "src/teams/usesOutbox.ts",
      "src/teams/usesPrisma.ts",
      "src/teams/usesSlack.ts",
    ]);
  });
});
