import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import { longevityAlerts } from "../../src/insights/longevityAlerts.ts";
import { OPEN_CAMPAIGN_ACTION_ID } from "../../src/render/slack.ts";
import { buttonValue, expectWithinSlackLimits, headerOf } from "../slack/support/expectations.ts";
import { DAY, HOUR, openScheduleWorld, type ScheduleWorld, typeInChannel } from "./support.ts";

const NOW = new Date("2026-11-23T09:00:00Z");

/** Whether the workspace-wide and autumn-refresh checks both find the drop as of `at`. */
async function dropHolds(world: ScheduleWorld, at: Date): Promise<boolean> {
  const view = await longevityAlerts(world.ctx, {}, at);
  return view.alerts.length === 2;
}

describe("longevity alerts on the demo workspace (scheduler, Slack sender, loopback stub)", () => {
  let world: ScheduleWorld;

  beforeAll(async () => {
    world = await openScheduleWorld({
      workspace: "demo",
      prepare: async (store) => {
        await seedDemo(store, { now: NOW });
      },
    });
    await typeInChannel(world.ctx, "alert longevity drop 25% campaign autumn-refresh", "C0CAMPAIGN", NOW);
    await typeInChannel(world.ctx, "alert longevity drop 25%", "C0WHOLE", NOW);
  });
  afterAll(async () => world?.close());

  it("fires once, names the drop and the creators behind it, and keeps quiet for the cooldown", async () => {
    const scheduler = world.scheduler("replica-a");

    expect(await scheduler.tick(NOW)).toMatchObject({ enqueuedAlerts: 2, sent: 2 });
    const campaign = world.stub.posted("C0CAMPAIGN");
    expect(campaign).toHaveLength(1);
    const blocks = expectWithinSlackLimits(campaign[0]?.body.blocks);
    const text = JSON.stringify(blocks);
    expect(headerOf(blocks)).toBe("Longevity dropped · autumn-refresh");
    // What dropped, by how much, on how many posts, against what baseline, and who drove it.
    expect(text).toContain("autumn-refresh: week-2 retention down 80.5%");
    expect(text).toMatch(/2\.9%\* on 16 recent posts against a baseline of 15\.1% on 15 posts/);
    expect(text).toContain("Driven by");
    expect(text).toMatch(/@sem\.bakes: .*of the drop/);
    expect(text).toMatch(/@femke\.eats: .*of the drop/);
    expect(buttonValue(blocks, OPEN_CAMPAIGN_ACTION_ID)).toContain("autumn-refresh");
    expect(String(campaign[0]?.body.text)).toContain("Longevity dropped · autumn-refresh");

    const whole = world.stub.posted("C0WHOLE");
    expect(whole).toHaveLength(1);
    const wholeBlocks = expectWithinSlackLimits(whole[0]?.body.blocks);
    expect(JSON.stringify(wholeBlocks)).toContain("whole workspace: week-2 retention down 72.7%");
    expect(buttonValue(wholeBlocks, OPEN_CAMPAIGN_ACTION_ID)).toBeUndefined();

    // Inside the 7-day cooldown: evaluated again, nothing new — though a day later the drop still holds.
    for (const later of [HOUR, DAY, 6 * DAY]) {
      expect(await scheduler.tick(new Date(NOW.getTime() + later))).toMatchObject({
        enqueuedAlerts: 0,
        sent: 0,
      });
    }
    expect(await dropHolds(world, new Date(NOW.getTime() + DAY))).toBe(true);
    expect(world.stub.posted()).toHaveLength(2);
    // Eight days on, past the cooldown, it would fire again if the drop still held; the demo's data
    // ends at NOW, so by then the recent cohort is too young to judge and nothing is posted.
    expect(await dropHolds(world, new Date(NOW.getTime() + 8 * DAY))).toBe(false);
    expect(await scheduler.tick(new Date(NOW.getTime() + 8 * DAY))).toMatchObject({ enqueuedAlerts: 0 });
  });

  it("fires again once its cooldown is over while the drop still holds", async () => {
    await world.store.prisma.alertRule.updateMany({ data: { cooldownDays: 1 } });
    await world.store.prisma.delivery.deleteMany();
    world.stub.calls.length = 0;
    const scheduler = world.scheduler("replica-b");
    expect(await scheduler.tick(NOW)).toMatchObject({ enqueuedAlerts: 2, sent: 2 });
    expect(await scheduler.tick(new Date(NOW.getTime() + HOUR))).toMatchObject({ enqueuedAlerts: 0 });
    expect(await scheduler.tick(new Date(NOW.getTime() + DAY + HOUR))).toMatchObject({
      enqueuedAlerts: 2,
      sent: 2,
    });
    const again = world.stub.posted("C0CAMPAIGN");
    expect(again).toHaveLength(2);
    expect(JSON.stringify(again[1]?.body.blocks)).toContain("autumn-refresh: week-2 retention down 83.9%");
  });
});
