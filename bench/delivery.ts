/**
 * Scheduled delivery under Slack's rate limits: 1,000 subscriptions' weekly digests, all due at the
 * same minute, across a few workspaces and many channels (some channels take several digests),
 * sent by scheduler replicas through the real Slack sender to the loopback Slack API stub, which
 * enforces one message per second per channel and a per-workspace limit with 429 + Retry-After.
 *
 *   npx tsx bench/delivery.ts [--subscriptions 1000] [--workspaces 4] [--channels 700] [--replicas 2]
 *     [--channel-interval-ms 1000] [--workspace-per-second 10] [--max-seconds 120]
 *
 * PostgreSQL when DATABASE_URL is set (a scratch database, dropped afterwards), else an in-memory
 * PGlite. The scheduler's clock starts at the digests' due moment and moves with real time (the
 * stub's limits are real time); HTTP is real, on 127.0.0.1 only. Reports the total time, peak
 * memory, 429s seen, and the digests lost (a subscription with no message) or duplicated (one
 * outbox row posted twice: a channel getting the same period's digest more than once).
 */
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { DEMO_CAMPAIGNS, demoRows } from "../src/ingest/demo.ts";
import { importRows } from "../src/ingest/importRows.ts";
import { log } from "../src/log.ts";
import { createScheduler } from "../src/platforms.ts";
import type { Scheduler } from "../src/schedule/scheduler.ts";
import { DELIVERY_EVENT_TYPE } from "../src/slack/sender.ts";
import { openStore, type Store } from "../src/store/database.ts";
import { scopeKey } from "../src/store/subscriptions.ts";
import { findWorkspace } from "../src/store/workspaces.ts";
import { installSlackTeam, oauthSlackConfig } from "../test/schedule/support.ts";
import { SlackApiStub, type StubTeam } from "../test/slack/support/slackApiStub.ts";
import { ScratchDatabases } from "./targets.ts";

/** A Monday 09:00Z: every subscription's digest is due at this moment. */
const DUE = new Date("2026-03-02T09:00:00Z");
const MB = 1024 * 1024;
const POLL_MS = 20;

interface Options {
  subscriptions: number;
  workspaces: number;
  channels: number;
  replicas: number;
  channelIntervalMs: number;
  workspacePerSecond: number;
  maxSeconds: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      subscriptions: { type: "string", default: "1000" },
      workspaces: { type: "string", default: "4" },
      channels: { type: "string", default: "700" },
      replicas: { type: "string", default: "2" },
      "channel-interval-ms": { type: "string", default: "1000" },
      "workspace-per-second": { type: "string", default: "10" },
      "max-seconds": { type: "string", default: "120" },
    },
  });
  const positive = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a whole number ≥ 1, not "${values[name]}"`);
    return value;
  };
  const options = {
    subscriptions: positive("subscriptions"),
    workspaces: positive("workspaces"),
    channels: positive("channels"),
    replicas: positive("replicas"),
    channelIntervalMs: positive("channel-interval-ms"),
    workspacePerSecond: positive("workspace-per-second"),
    maxSeconds: positive("max-seconds"),
  };
  const scopesPerChannel = DEMO_CAMPAIGNS.length + 1;
  if (options.subscriptions > options.channels * scopesPerChannel)
    throw new Error(
      `${options.channels} channels take at most ${options.channels * scopesPerChannel} subscriptions`,
    );
  if (options.channels < options.workspaces) throw new Error("--channels must be at least --workspaces");
  return options;
}

function teamOf(index: number): StubTeam {
  const n = String(index + 1).padStart(2, "0");
  return {
    token: `xoxb-bench-${n}-token`,
    teamId: `T0BENCH${n}`,
    teamName: `Bench ${n}`,
    botId: `B0BENCH${n}`,
    botUserId: `U0BENCH${n}`,
  };
}

/** A scratch database on the DATABASE_URL server, or an in-memory PGlite. */
async function openBenchStore(): Promise<{ store: Store; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { store: await openStore({ dataDir: "memory://" }), drop: async () => {} };
  const databases = new ScratchDatabases(serverUrl);
  const target = await databases.create();
  return { store: await openStore(target.location), drop: () => databases.dropAll() };
}

/** Spreads `total` over `parts` as evenly as whole numbers allow: part `index`'s share. */
function shareOf(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/**
 * Each workspace: an OAuth installation and a small demo (so digests have content). Subscriptions
 * are made workspace after workspace in turn, as tenants would make them over time; a workspace's
 * channels get them round-robin, a channel's second, third and fourth digest scoped to a campaign.
 */
async function prepare(store: Store, options: Options, teams: StubTeam[]): Promise<void> {
  const workspaces: { id: number; scopes: (number | null)[]; channels: number }[] = [];
  for (const [w, team] of teams.entries()) {
    await installSlackTeam(store, team);
    const slug = team.teamName.toLowerCase().replace(" ", "-");
    // Into the installed workspace as it is (seedDemo would replace it, installation and all).
    await importRows(store, slug, demoRows({ now: DUE, creators: 12 }));
    const workspace = await findWorkspace(store.prisma, slug);
    if (!workspace) throw new Error(`workspace ${slug} was not created`);
    const campaigns = await store.prisma.campaign.findMany({ where: { workspaceId: workspace.id } });
    const scopes = [null, ...campaigns.map((campaign) => campaign.id)];
    workspaces.push({ id: workspace.id, scopes, channels: shareOf(options.channels, teams.length, w) });
  }
  const rows = Array.from({ length: options.subscriptions }, (_, i) => {
    const w = i % workspaces.length;
    const workspace = workspaces[w];
    if (!workspace) throw new Error(`no workspace ${w}`);
    const nth = Math.floor(i / workspaces.length);
    const campaignId = workspace.scopes[Math.floor(nth / workspace.channels)] ?? null;
    return {
      workspaceId: workspace.id,
      platform: "slack",
      channelId: `C${w}${String(nth % workspace.channels).padStart(6, "0")}`,
      cron: "0 9 * * 1",
      scheduleLabel: "weekly mon 09:00",
      timezone: "UTC",
      campaignId,
      scopeKey: scopeKey(campaignId),
      nextRunAt: DUE,
    };
  });
  await store.prisma.subscription.createMany({ data: rows });
}

/** Ticks back to back with the clock at DUE + real time elapsed, until told to stop. */
async function runReplica(scheduler: Scheduler, clock: () => Date, running: () => boolean): Promise<number> {
  let ticks = 0;
  while (running()) {
    await scheduler.tick(clock());
    ticks++;
    await delay(POLL_MS);
  }
  return ticks;
}

async function outboxSettled(store: Store, expected: number): Promise<boolean> {
  const open = await store.prisma.delivery.count({ where: { status: { in: ["pending", "sending"] } } });
  const made = await store.prisma.delivery.count();
  return made >= expected && open === 0;
}

interface Outcome {
  lost: number;
  duplicated: number;
  accepted: number;
  rateLimited: number;
}

/** Lost: subscriptions with no accepted message. Duplicated: outbox rows Slack accepted more than once. */
async function outcome(store: Store, stub: SlackApiStub): Promise<Outcome> {
  const acceptedPerDelivery = new Map<number, number>();
  for (const call of stub.posted()) {
    const metadata = call.body.metadata as { event_type?: string; event_payload?: { delivery?: number } };
    const id = metadata?.event_type === DELIVERY_EVENT_TYPE ? metadata.event_payload?.delivery : undefined;
    if (id !== undefined) acceptedPerDelivery.set(id, (acceptedPerDelivery.get(id) ?? 0) + 1);
  }
  const deliveries = await store.prisma.delivery.findMany({ select: { id: true, subscriptionId: true } });
  const delivered = new Set(
    deliveries.filter((row) => acceptedPerDelivery.has(row.id)).map((row) => row.subscriptionId),
  );
  const subscriptions = await store.prisma.subscription.findMany({ select: { id: true } });
  return {
    lost: subscriptions.filter((subscription) => !delivered.has(subscription.id)).length,
    duplicated: [...acceptedPerDelivery.values()].filter((count) => count > 1).length,
    accepted: stub.posted().length,
    rateLimited: stub.callsTo("chat.postMessage").filter((call) => call.outcome === "ratelimited").length,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  log.level = process.env.LOG_LEVEL ?? "error";
  const teams = Array.from({ length: options.workspaces }, (_, i) => teamOf(i));
  const stub = new SlackApiStub(teams);
  stub.recordBodies = false;
  await stub.start();
  const { store, drop } = await openBenchStore();
  try {
    console.error(`Preparing ${options.subscriptions} subscriptions on ${store.kind}…`);
    await prepare(store, options, teams);
    stub.rateLimits = {
      channelIntervalMs: options.channelIntervalMs,
      teamPerSecond: options.workspacePerSecond,
    };
    const config = oauthSlackConfig(stub);
    const replicas = Array.from({ length: options.replicas }, (_, i) =>
      createScheduler({ config, store, settings: { owner: `bench-replica-${i + 1}` } }),
    );
    const rssBefore = process.memoryUsage().rss;
    const peak = { rss: rssBefore, heap: 0 };
    const sampler = setInterval(() => {
      const { rss, heapUsed } = process.memoryUsage();
      peak.rss = Math.max(peak.rss, rss);
      peak.heap = Math.max(peak.heap, heapUsed);
    }, 50);
    const started = performance.now();
    const startedAt = Date.now();
    const clock = () => new Date(DUE.getTime() + (performance.now() - started));
    let settled = false;
    const deadline = started + options.maxSeconds * 1000;
    const running = () => !settled && performance.now() < deadline;
    const ticks = replicas.map((replica) => runReplica(replica, clock, running));
    while (running()) {
      await delay(250);
      settled = await outboxSettled(store, options.subscriptions);
    }
    const tickCounts = await Promise.all(ticks);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const result = await outcome(store, stub);
    const figures = {
      store: store.kind,
      subscriptions: options.subscriptions,
      workspaces: options.workspaces,
      channels: options.channels,
      replicas: options.replicas,
      limits: `1 msg / ${options.channelIntervalMs} ms per channel, ${options.workspacePerSecond} msg/s per workspace`,
      finished: settled,
      totalSeconds: Number(seconds.toFixed(1)),
      messagesPerSecond: Number((result.accepted / seconds).toFixed(1)),
      // Planning: every digest is built (once per workspace and scope) and put in the outbox.
      firstMessageAfterSeconds: Number((((stub.posted()[0]?.at ?? startedAt) - startedAt) / 1000).toFixed(1)),
      // The whole process: the database (PGlite runs in it), the stub and the replicas.
      rssAtStartMB: Math.round(rssBefore / MB),
      peakRssMB: Math.round(peak.rss / MB),
      peakHeapMB: Math.round(peak.heap / MB),
      ticks: tickCounts.reduce((sum, count) => sum + count, 0),
      accepted: result.accepted,
      rateLimited429s: result.rateLimited,
      lost: result.lost,
      duplicated: result.duplicated,
    };
    console.log(JSON.stringify(figures, null, 2));
    if (!settled || result.lost > 0 || result.duplicated > 0) process.exitCode = 1;
  } finally {
    await store.close();
    await drop();
    await stub.stop();
  }
}

await main();
