import { afterAll, beforeAll, expect, it } from "vitest";
import { type Running, scheduleWorldEnv, startLongtail } from "../reliability/harness.ts";
import { openScheduleWorld, type ScheduleWorld, typeInChannel } from "../schedule/support.ts";
import { SIGNING_SECRET, TEAM_ACME } from "../slack/support/harness.ts";
import { describeOnPostgres } from "../support/postgres.ts";
import { sample } from "./support/prometheus.ts";

/** More channels than one claim takes (20): the replica that claims second finds work left. */
const CHANNELS = Array.from({ length: 30 }, (_, i) => `C0OPS${String(i + 1).padStart(2, "0")}`);
/** The scheduler ticks on the minute: the period is due on the next one, sent at most a tick later. */
const DELIVERED_WITHIN_MS = 130_000;

function stopApp(app: Running | undefined): Promise<unknown> {
  if (!app || app.child.exitCode !== null) return Promise.resolve();
  app.child.kill("SIGTERM");
  return app.exited;
}

/** One counter of a replica's /metrics; 0 when it has not counted anything yet. */
async function counter(app: Running, series: string): Promise<number> {
  return sample(await (await fetch(`${app.url}/metrics`)).text(), series) ?? 0;
}

/** "HH:MM" in UTC of the minute after `now`'s. */
function nextMinuteUtc(now: Date): string {
  return new Date((Math.floor(now.getTime() / 60_000) + 1) * 60_000).toISOString().slice(11, 16);
}

describeOnPostgres("two app processes on one PostgreSQL database, as docker-compose.yml runs them", () => {
  let world: ScheduleWorld;
  let apps: Running[] = [];

  beforeAll(async () => {
    world = await openScheduleWorld();
    const now = new Date();
    // The period comes due on the next minute: the first tick of either replica from then sends it.
    for (const channel of CHANNELS)
      await typeInChannel(world.ctx, `subscribe daily ${nextMinuteUtc(now)}`, channel, now, "UTC");
    const env = await scheduleWorldEnv(world);
    // Slack answers each post after 50 ms, so sending takes a while.
    world.stub.delayMs = 50;
    // The first replica logs at debug level: its lines are read below.
    apps = await Promise.all([startLongtail({ ...env, LOG_LEVEL: "debug" }), startLongtail(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map(stopApp));
    await world?.close();
  });

  it("log each HTTP request by its id at debug level: no body, header or secret", async () => {
    const response = await fetch(`${apps[0]?.url}/readyz?token=not-for-the-log`);
    const requestId = response.headers.get("x-request-id");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = (apps[0]?.output() ?? "")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const logged = lines.filter((line) => line.requestId === requestId);
    expect(logged).toHaveLength(1);
    const { time, pid, hostname, ms, ...fields } = logged[0] ?? {};
    expect(fields).toEqual({
      level: 20,
      requestId,
      surface: "ops",
      method: "GET",
      path: "/readyz",
      status: 200,
      msg: "HTTP request",
    });
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it(
    "are both ready and deliver each channel's digest for the period once between them",
    async () => {
      for (const app of apps) expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      const deadline = Date.now() + DELIVERED_WITHIN_MS;
      while (world.stub.callsTo("chat.postMessage").length < CHANNELS.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      // Both replicas ticked at the same minute; give a duplicate the time to show up.
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const channels = world.stub.callsTo("chat.postMessage").map((call) => String(call.body.channel));
      expect(channels.sort()).toEqual(CHANNELS);
      const rows = await world.store.prisma.delivery.groupBy({ by: ["status"], _count: true });
      expect(rows).toEqual([{ status: "sent", _count: CHANNELS.length }]);
      const sent = 'longtail_deliveries_total{platform="slack",outcome="sent"}';
      const sentBy = await Promise.all(apps.map((app) => counter(app, sent)));
      expect(sentBy.reduce((sum, count) => sum + count, 0)).toBe(CHANNELS.length);
      // Both replicas tick on the same minute; one claim takes 20 and sends them for over a second,
      // so the other finds the rest: the work is shared, not done by one while the other idles.
      for (const count of sentBy) expect(count).toBeGreaterThan(0);
      console.info(`digests sent by replica 1 and 2: ${sentBy.join(" and ")}`);
      const logs = apps.map((app) => app.output()).join("");
      for (const secret of [TEAM_ACME.token, SIGNING_SECRET]) expect(logs).not.toContain(secret);
      // The first replica logged at debug level, Slack's Web API client too: no digest's text.
      expect(logs).not.toContain("Weekly digest");
    },
    DELIVERED_WITHIN_MS + 20_000,
  );
});
