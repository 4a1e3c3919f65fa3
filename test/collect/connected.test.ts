import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectError } from "../../src/collect/collector.ts";
import { connectedCollectors } from "../../src/collect/connected.ts";
import { credentialStatuses, saveCredential } from "../../src/store/credentials.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";
import { BUSINESS_ACCOUNT_ID } from "./instagramStub.ts";
import { type MayaStubs, startMayaStubs } from "./mayaStubs.ts";

const KEY = Buffer.alloc(32, 9);
let store: Store;
let workspaceId: number;
let stubs: MayaStubs;

beforeAll(async () => {
  [store, stubs] = await Promise.all([openTestStore(), startMayaStubs()]);
  workspaceId = (await ensureWorkspace(store.prisma, "acme")).id;
});
afterAll(() => Promise.all([store?.close(), stubs?.close()]));

const sources = () => connectedCollectors(store.prisma, KEY, stubs.endpoints);

describe("collectors built from the workspace's stored credentials", () => {
  it("gives no collector before a platform is connected, or without an encryption key", async () => {
    expect(await sources().collectorFor(workspaceId, "youtube")).toBeNull();
    expect(await sources().collectorFor(workspaceId, "instagram")).toBeNull();
    expect(await connectedCollectors(store.prisma, null).collectorFor(workspaceId, "tiktok")).toBeNull();
  });

  it("collects each platform with the stored secrets, the Instagram insights with the creator's own token", async () => {
    await saveCredential(store.prisma, KEY, workspaceId, {
      platform: "youtube",
      subject: null,
      secret: "yt-key",
    });
    await saveCredential(store.prisma, KEY, workspaceId, {
      platform: "instagram",
      subject: null,
      secret: "EAAB-business",
      accountId: BUSINESS_ACCOUNT_ID,
    });
    await saveCredential(store.prisma, KEY, workspaceId, {
      platform: "instagram",
      subject: "maya.runs",
      secret: "EAAB-maya",
    });
    await saveCredential(store.prisma, KEY, workspaceId, {
      platform: "tiktok",
      subject: "maya.runs",
      secret: "act.maya",
    });

    const collect = async (platform: "youtube" | "instagram" | "tiktok", postId: string) => {
      const collector = await sources().collectorFor(workspaceId, platform);
      return (await collector?.collect([{ postId, handle: "maya.runs" }]))?.posts[0]?.counters;
    };
    expect(await collect("youtube", "dQw4w9WgXcQ")).toMatchObject({ views: 100, likes: 7, comments: 2 });
    expect(await collect("instagram", "C1a2b3Reel")).toEqual({
      views: 1200,
      likes: 51,
      comments: 3,
      shares: 3,
      saves: 8,
      impressions: null,
      reach: 400,
    });
    expect(await collect("tiktok", "7311234567890123456")).toMatchObject({ likes: 5, shares: 2, views: 90 });
  });

  it("a credential the platform refused is recorded, and stops its collector until it is replaced", async () => {
    const source = sources();
    await source.credentialProblem(workspaceId, "youtube", null, "YouTube refused the API key.");
    await source.credentialProblem(workspaceId, "tiktok", "maya.runs", "TikTok refused @maya.runs's token.");
    expect(await source.collectorFor(workspaceId, "youtube")).toBeNull();
    const tiktokCollector = await source.collectorFor(workspaceId, "tiktok");
    await expect(
      tiktokCollector?.collect([{ postId: "7311234567890123456", handle: "maya.runs" }]),
    ).rejects.toEqual(
      new CollectError("credentials", "TikTok refused @maya.runs's token.", null, "maya.runs"),
    );
    expect(
      (await credentialStatuses(store.prisma, workspaceId)).map((s) => [s.platform, s.subject, s.status]),
    ).toEqual([
      ["instagram", null, "ok"],
      ["instagram", "maya.runs", "ok"],
      ["tiktok", "maya.runs", "problem"],
      ["youtube", null, "problem"],
    ]);
  });

  it("a credential that no longer opens (LONGTAIL_ENCRYPTION_KEY changed) is recorded as refused, not thrown", async () => {
    const otherKey = connectedCollectors(store.prisma, Buffer.alloc(32, 10), {
      instagram: stubs.instagram.url,
    });
    expect(await otherKey.collectorFor(workspaceId, "instagram")).toBeNull();
    const [status] = await credentialStatuses(store.prisma, workspaceId);
    expect([status?.platform, status?.subject, status?.problem]).toEqual([
      "instagram",
      null,
      "The stored Instagram credential could not be decrypted: was LONGTAIL_ENCRYPTION_KEY changed? Connect it again.",
    ]);
  });
});
