import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homeView } from "../../src/insights/home.ts";
import { layoutHome } from "../../src/render/layout.ts";
import { markCredentialProblem, saveCredential } from "../../src/store/credentials.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace, type Workspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const KEY = Buffer.alloc(32, 5);
const NOW = new Date("2026-12-03T09:00:00Z");
let store: Store;
let workspace: Workspace;

beforeAll(async () => {
  store = await openTestStore();
  workspace = await ensureWorkspace(store.prisma, "acme");
  const track = (platform: string, externalId: string, creatorHandle: string | null) =>
    store.prisma.trackedPost.create({
      data: {
        workspaceId: workspace.id,
        platform,
        externalId,
        url: `https://example.com/${externalId}`,
        creatorHandle,
        nextCollectionAt: NOW,
      },
    });
  await track("youtube", "dQw4w9WgXcQ", null);
  await track("youtube", "aaaaaaaaaaa", null);
  await track("tiktok", "7311234567890123456", "lee.cooks");
  await track("tiktok", "7311234567890123457", "maya.runs");
  await track("instagram", "C1a2b3Reel", "maya.runs");
  await saveCredential(store.prisma, KEY, workspace.id, {
    platform: "instagram",
    subject: null,
    secret: "EAAB-business",
    accountId: "17841405309211844",
  });
  await saveCredential(store.prisma, KEY, workspace.id, {
    platform: "tiktok",
    subject: "maya.runs",
    secret: "act.maya",
  });
  await markCredentialProblem(
    store.prisma,
    workspace.id,
    "instagram",
    null,
    "Instagram refused the business account's access token: Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.",
    new Date("2026-12-01T06:00:00Z"),
  );
});
afterAll(() => store.close());

describe("the home screen's connection problems", () => {
  it("names a refused token with the day it stopped and the command that replaces it, and what tracked posts wait for", async () => {
    const home = await homeView({ prisma: store.prisma, workspace }, "slack", NOW);
    const { sections } = layoutHome(home);
    const attention = sections.findIndex(
      (section) => section.kind === "title" && section.text === "Needs attention",
    );
    expect(sections[attention + 1]).toEqual({
      kind: "text",
      lines: [
        [
          { icon: "warning" },
          " Instagram stopped accepting the workspace's token on 1 Dec 2026: Instagram refused the business account's access token: Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST. Collection waits; to replace it, run ",
          { code: "longtail connect instagram --workspace acme --account-id ID --token-file FILE" },
          ".",
        ],
        [
          { icon: "warning" },
          " 1 tracked TikTok post waits for their creators' tokens (@lee.cooks): for each, run ",
          { code: "longtail connect tiktok --workspace acme --creator @HANDLE --token-file FILE" },
          ".",
        ],
        [
          { icon: "warning" },
          " 2 tracked YouTube posts wait for a YouTube API key: run ",
          { code: "longtail connect youtube --workspace acme --api-key-file FILE" },
          ".",
        ],
      ],
    });
    expect(JSON.stringify(home)).not.toMatch(/EAAB-business|act\.maya/);
  });
});
