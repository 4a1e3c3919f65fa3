import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CredentialUnreadableError,
  credentialStatuses,
  deleteCredential,
  loadCredential,
  markCredentialProblem,
  saveCredential,
} from "../../src/store/credentials.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const KEY = Buffer.alloc(32, 7);
const SET_AT = new Date("2026-11-30T10:00:00Z");
let store: Store;
let acme: number;
let other: number;

beforeAll(async () => {
  store = await openTestStore();
  acme = (await ensureWorkspace(store.prisma, "acme")).id;
  other = (await ensureWorkspace(store.prisma, "other")).id;
});
afterAll(() => store.close());

describe("platform credentials", () => {
  it("stores a secret sealed, opens it again, and keeps workspaces and creators apart", async () => {
    await saveCredential(
      store.prisma,
      KEY,
      acme,
      { platform: "instagram", subject: null, secret: "EAAG-business-token", accountId: "17841405309211844" },
      SET_AT,
    );
    await saveCredential(
      store.prisma,
      KEY,
      acme,
      { platform: "tiktok", subject: "@Maya.Runs", secret: "act.maya" },
      SET_AT,
    );
    const rows = await store.prisma.platformCredential.findMany({ where: { workspaceId: acme } });
    expect(rows.map((row) => row.secretCiphertext).join(" ")).not.toMatch(/EAAG|act\.maya/);

    expect(await loadCredential(store.prisma, KEY, acme, "instagram", null)).toEqual({
      secret: "EAAG-business-token",
      accountId: "17841405309211844",
      problem: null,
    });
    expect((await loadCredential(store.prisma, KEY, acme, "tiktok", "maya.runs"))?.secret).toBe("act.maya");
    expect(await loadCredential(store.prisma, KEY, acme, "tiktok", "someone.else")).toBeNull();
    expect(await loadCredential(store.prisma, KEY, other, "instagram", null)).toBeNull();
  });

  it("refuses to open a secret with another key, or one copied to another workspace's row", async () => {
    await expect(loadCredential(store.prisma, Buffer.alloc(32, 8), acme, "instagram", null)).rejects.toEqual(
      new CredentialUnreadableError(
        "The stored Instagram credential could not be decrypted: was LONGTAIL_ENCRYPTION_KEY changed? Connect it again.",
      ),
    );
    const sealed = await store.prisma.platformCredential.findFirstOrThrow({
      where: { workspaceId: acme, platform: "instagram" },
    });
    await store.prisma.platformCredential.create({
      data: {
        workspaceId: other,
        platform: "instagram",
        subject: "",
        secretCiphertext: sealed.secretCiphertext,
        setAt: SET_AT,
      },
    });
    await expect(loadCredential(store.prisma, KEY, other, "instagram", null)).rejects.toBeInstanceOf(
      CredentialUnreadableError,
    );
    await deleteCredential(store.prisma, other, "instagram", null);
  });

  it("reports each credential's state without its secret; a problem keeps the day it was first seen until the credential is replaced", async () => {
    await markCredentialProblem(
      store.prisma,
      acme,
      "tiktok",
      "maya.runs",
      "TikTok refused @maya.runs's token.",
      new Date("2026-12-01T06:00:00Z"),
    );
    await markCredentialProblem(
      store.prisma,
      acme,
      "tiktok",
      "maya.runs",
      "TikTok refused @maya.runs's token (again).",
      new Date("2026-12-02T06:00:00Z"),
    );
    const statuses = await credentialStatuses(store.prisma, acme);
    expect(statuses).toEqual([
      {
        platform: "instagram",
        subject: null,
        accountId: "17841405309211844",
        status: "ok",
        problem: null,
        problemAt: null,
        setAt: SET_AT,
      },
      {
        platform: "tiktok",
        subject: "maya.runs",
        accountId: null,
        status: "problem",
        problem: "TikTok refused @maya.runs's token (again).",
        problemAt: new Date("2026-12-01T06:00:00Z"),
        setAt: SET_AT,
      },
    ]);
    expect(JSON.stringify(statuses)).not.toMatch(/EAAG|act\.maya|secret/i);

    const replacedAt = new Date("2026-12-03T09:00:00Z");
    await saveCredential(
      store.prisma,
      KEY,
      acme,
      { platform: "tiktok", subject: "maya.runs", secret: "act.maya.2" },
      replacedAt,
    );
    expect((await credentialStatuses(store.prisma, acme))[1]).toMatchObject({
      status: "ok",
      problem: null,
      problemAt: null,
      setAt: replacedAt,
    });
    expect(await loadCredential(store.prisma, KEY, acme, "tiktok", "maya.runs")).toEqual({
      secret: "act.maya.2",
      accountId: null,
      problem: null,
    });
  });

  it("removes a credential once; a problem for a credential that is not set changes nothing", async () => {
    await markCredentialProblem(store.prisma, other, "youtube", null, "YouTube refused the API key.");
    expect(await credentialStatuses(store.prisma, other)).toEqual([]);
    expect(await deleteCredential(store.prisma, acme, "tiktok", "@maya.runs")).toBe(true);
    expect(await deleteCredential(store.prisma, acme, "tiktok", "maya.runs")).toBe(false);
    expect((await credentialStatuses(store.prisma, acme)).map((s) => s.platform)).toEqual(["instagram"]);
  });
});
