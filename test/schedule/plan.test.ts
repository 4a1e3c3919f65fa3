import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { renderText } from "../../src/render/text.ts";
import { handleScheduleIntent, isScheduleIntent } from "../../src/schedule/channelSettings.ts";
import { planDigests } from "../../src/schedule/plan.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const HOUR = 3_600_000;
const renderers = { slack: (view: Parameters<typeof renderText>[0]) => ({ text: renderText(view) }) };

describe("digest planning with a controllable clock", () => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await store.prisma.workspace.deleteMany();
  });

  async function subscribe(text: string, now: Date, userTimezone?: string) {
    const workspace = await ensureWorkspace(store.prisma, "acme");
    const intent = parseCommand(text);
    if (!isScheduleIntent(intent)) throw new Error(`not a schedule intent: ${intent.kind}`);
    return handleScheduleIntent(
      { prisma: store.prisma, workspace },
      intent,
      { platform: "slack", channelId: "C1", userTimezone },
      now,
    );
  }

  async function runClock(from: Date, to: Date, stepMs: number) {
    for (let t = from.getTime(); t <= to.getTime(); t += stepMs) {
      await planDigests({ prisma: store.prisma, renderers }, new Date(t));
    }
  }

  async function plannedDigests() {
    return store.prisma.delivery.findMany({
      orderBy: { dueAt: "asc" },
      select: { dueAt: true, status: true, lastError: true },
    });
  }

  it("fires a weekly digest once, at 09:00 local time on both sides of a DST change", async () => {
    const answer = await subscribe(
      "subscribe weekly mon 09:00",
      new Date("2026-03-20T12:00:00Z"),
      "Europe/Amsterdam",
    );
    expect(answer.kind).toBe("message");
    await runClock(new Date("2026-03-20T12:00:00Z"), new Date("2026-04-08T00:00:00Z"), HOUR / 4);
    const digests = await plannedDigests();
    // 09:00 in Amsterdam is 08:00Z in winter time and 07:00Z after the clocks went forward on 29 March.
    expect(digests.map((d) => [d.dueAt.toISOString(), d.status])).toEqual([
      ["2026-03-23T08:00:00.000Z", "pending"],
      ["2026-03-30T07:00:00.000Z", "pending"],
      ["2026-04-06T07:00:00.000Z", "pending"],
    ]);
  });

  it("after downtime sends the missed digest once within the grace window, and records older ones as skipped", async () => {
    await subscribe("subscribe daily 08:00", new Date("2026-05-01T00:00:00Z"));
    // Down from 1 May until 4 May 10:00: the 4 May digest is 2 h late (sent), 1–3 May are superseded.
    await planDigests({ prisma: store.prisma, renderers }, new Date("2026-05-04T10:00:00Z"));
    await planDigests({ prisma: store.prisma, renderers }, new Date("2026-05-04T10:01:00Z"));
    const digests = await plannedDigests();
    expect(digests.map((d) => [d.dueAt.toISOString().slice(0, 10), d.status])).toEqual([
      ["2026-05-01", "skipped"],
      ["2026-05-02", "skipped"],
      ["2026-05-03", "skipped"],
      ["2026-05-04", "pending"],
    ]);
    expect(digests[0]?.lastError).toMatch(/superseded/);
  });

  it("skips a digest that is later than the grace window, saying by how much", async () => {
    await subscribe("subscribe weekly mon 09:00", new Date("2026-06-01T00:00:00Z"));
    await planDigests({ prisma: store.prisma, renderers }, new Date("2026-06-03T09:00:00Z"));
    const [digest] = await plannedDigests();
    expect(digest?.status).toBe("skipped");
    expect(digest?.lastError).toMatch(/missed by 48 h, beyond the 24 h grace window/);
  });

  it("rejects an invalid time zone or cron expression when subscribing, and stores nothing", async () => {
    const badZone = await subscribe("subscribe daily 08:00", new Date(), "Mars/Olympus_Mons");
    expect(badZone).toMatchObject({ kind: "message", tone: "error" });
    expect(JSON.stringify(badZone)).toMatch(/not a time zone I know/);
    const badCron = await subscribe('subscribe cron "61 9 * * 1"', new Date());
    expect(JSON.stringify(badCron)).toMatch(/not a cron expression I can run/);
    expect(await store.prisma.subscription.count()).toBe(0);
  });
});
