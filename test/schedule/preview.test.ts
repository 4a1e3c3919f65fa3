import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewDigests } from "../../src/schedule/preview.ts";
import { openScheduleWorld, type ScheduleWorld, typeInChannel } from "./support.ts";

describe("digest dry run", () => {
  let world: ScheduleWorld;

  beforeAll(async () => {
    world = await openScheduleWorld();
  });
  afterAll(async () => world?.close());

  it("shows what each subscription would get, and when, without sending or writing anything", async () => {
    const subscribedAt = new Date("2026-03-01T12:00:00Z");
    await typeInChannel(world.ctx, "subscribe daily 08:00", "C0DAILY", subscribedAt, "UTC");
    await typeInChannel(world.ctx, "subscribe weekly fri 16:00", "C0WEEKLY", subscribedAt, "UTC");
    await typeInChannel(world.ctx, "subscribe daily 07:00", "C0GONE", subscribedAt, "UTC");
    await world.store.prisma.subscription.updateMany({
      where: { channelId: "C0GONE" },
      data: { active: false, disabledReason: "the channel was archived" },
    });
    const before = await world.store.prisma.subscription.findMany({ orderBy: { id: "asc" } });

    // Down since Sunday: Monday's and Tuesday's 08:00 digests are due; only Tuesday's goes out.
    const previews = await previewDigests(
      world.store,
      world.ctx.workspace.id,
      new Date("2026-03-03T09:00:00Z"),
    );
    expect(
      previews.map((p) => [
        p.channelId,
        p.scheduleLabel,
        p.period.toISOString(),
        p.action.kind,
        p.digest?.kind,
      ]),
    ).toEqual([
      ["C0DAILY", "daily 08:00", "2026-03-02T08:00:00.000Z", "skipped", undefined],
      ["C0DAILY", "daily 08:00", "2026-03-03T08:00:00.000Z", "due", "weeklyDigest"],
      ["C0WEEKLY", "weekly fri 16:00", "2026-03-06T16:00:00.000Z", "upcoming", "weeklyDigest"],
      ["C0GONE", "daily 07:00", "2026-03-02T07:00:00.000Z", "stopped", undefined],
    ]);
    expect(previews[0]?.action).toEqual({
      kind: "skipped",
      reason: "superseded by a later digest after downtime",
    });
    expect(previews[1]?.digest?.week).toEqual({
      from: "2026-02-24T08:00:00.000Z",
      to: "2026-03-03T08:00:00.000Z",
    });

    expect(await world.store.prisma.delivery.count()).toBe(0);
    expect(await world.store.prisma.subscription.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(world.stub.calls).toEqual([]);
  });
});
