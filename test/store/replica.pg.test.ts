import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import type { ViewModel } from "../../src/insights/viewModels.ts";
import { createBackend } from "../../src/playground/backend.ts";
import { evaluateAlertRules } from "../../src/schedule/alerts.ts";
import { digestView } from "../../src/schedule/plan.ts";
import { schedulerFor } from "../../src/schedule/wiring.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import type { ReplicaSettings } from "../../src/store/replica.ts";
import { openScratchStore } from "../../src/store/scratch.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { CLI, CLI_ARGS } from "../support/cli.ts";
import { databaseUrlOf } from "../support/postgres.ts";

/**
 * The read replica for real: the PostgreSQL streaming replica scripts/replica-setup.sh makes on
 * 127.0.0.1:5433 (a second cluster, pg_basebackup -R of the main one), stopped and started again
 * with pg_ctlcluster. Runs in `npm run test:pg` when that replica answers.
 */
const serverUrl = process.env.LONGTAIL_TEST_DATABASE_URL;
const replicaServerUrl =
  process.env.LONGTAIL_TEST_REPLICA_URL ?? "postgresql://postgres@127.0.0.1:5433/postgres";
const run = promisify(execFile);

/** Why the replica tests cannot run here, or undefined when they can. */
async function whyNoReplica(): Promise<string | undefined> {
  if (!serverUrl) return "set LONGTAIL_TEST_DATABASE_URL (npm run test:pg runs it)";
  const client = new pg.Client({ connectionString: replicaServerUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ standby: boolean }>("SELECT pg_is_in_recovery() AS standby");
    if (!rows[0]?.standby) return `${replicaServerUrl} is not a standby`;
  } catch (error) {
    return `no streaming replica at ${replicaServerUrl} (run scripts/replica-setup.sh as root): ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
  return run("pg_lsclusters", ["-h"]).then(
    () => undefined,
    () => "pg_lsclusters/pg_ctlcluster (postgresql-common) are needed to stop and start the replica",
  );
}

const skipReason = await whyNoReplica();
if (skipReason) console.warn(`Read-replica tests skipped: ${skipReason}`);

const NOW = new Date("2026-03-02T09:00:00Z");
const CHECK_MS = 200;

async function serverPort(client: Store["prisma"]): Promise<number> {
  const [row] = await client.$queryRaw<{ port: number }[]>`SELECT inet_server_port() AS port`;
  return row?.port ?? 0;
}

/** Waits (at most 20 s) until the store's reads are served on `port`. */
async function readsServedOn(store: Store, port: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await store.replica?.check();
    const served = await serverPort(store.reads ?? store.prisma);
    if (served === port || Date.now() > deadline) return served;
    await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
  }
}

async function onReplica<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: replicaServerUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function replicaCluster(action: "stop" | "start"): Promise<void> {
  const [{ version } = { version: "" }] = await onPrimary<{ version: string }>(
    "SELECT split_part(current_setting('server_version'), '.', 1) AS version",
  );
  await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "replica", action]);
}

async function onPrimary<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(skipReason)(
  `insight reads on a streaming replica${skipReason ? ` — skipped: ${skipReason}` : ""}`,
  () => {
    let scratch: Store;
    let store: Store;
    let core: Conversation;
    /** The scratch database's URL on the primary and on the replica. */
    let primaryUrl: string;
    let replicaUrl: string;
    const handle = demoCreators({ now: NOW, creators: 4 })[0]?.handle ?? "";
    const replicaSettings = (maxLagSeconds: number): ReplicaSettings => ({
      url: replicaUrl,
      maxLagSeconds,
      checkIntervalMs: CHECK_MS,
    });

    beforeAll(async () => {
      scratch = await openScratchStore(serverUrl, "longtail_replica");
      await seedDemo(scratch, { now: NOW, creators: 4 });
      primaryUrl = await databaseUrlOf(scratch);
      replicaUrl = await databaseUrlOf(scratch, replicaServerUrl);
      store = await openStore({
        databaseUrl: primaryUrl,
        replica: replicaSettings(2),
      });
      core = createConversation(store);
    });
    afterAll(async () => {
      await replicaCluster("start").catch(() => {});
      await onReplica("SELECT pg_wal_replay_resume()").catch(() => {});
      await store?.close();
      await scratch?.close();
    });

    it("answers a question from the replica, with its own connections there", async () => {
      expect(await readsServedOn(store, 5433)).toBe(5433);
      const view = await core.ask({
        text: `creator @${handle}`,
        workspace: { slug: "demo", createIfMissing: false },
        now: NOW,
      });
      expect(view.kind === "creatorProfile" && view.creator.handle).toBe(handle);
      const connections = await onReplica<{ name: string }>(
        "SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = $1",
        [new URL(replicaUrl).pathname.slice(1)],
      );
      expect(connections).toEqual([{ name: "longtail-reads" }]);
    });

    it("writes on the primary: a subscription typed in a channel is stored there", async () => {
      const channel = { platform: "slack" as const, id: "C0REPLICA" };
      const view = await core.ask({
        text: "subscribe weekly monday 09:00",
        workspace: { slug: "demo", createIfMissing: false },
        channel,
        now: NOW,
      });
      expect(view.kind === "message" && view.title).toBe(
        "Subscribed: the digest comes to this channel weekly mon 09:00 (UTC).",
      );
      expect(await serverPort(store.prisma)).toBe(5432);
      const rows = await store.prisma.subscription.findMany({ where: { channelId: channel.id } });
      expect(rows.map((row) => row.channelId)).toEqual(["C0REPLICA"]);
    });

    it("reads from the primary while the replica lags more than the bound, and from the replica once it caught up", async () => {
      expect(await readsServedOn(store, 5433)).toBe(5433);
      await onReplica("SELECT pg_wal_replay_pause()");
      const later = demoCreators({ now: NOW, creators: 2, seed: 7 })[0]?.handle ?? "";
      await seedDemo(scratch, { now: NOW, creators: 2, seed: 7, slug: "later" });
      const patient = await openStore({
        databaseUrl: primaryUrl,
        replica: replicaSettings(3600),
      });
      try {
        // Within a bound of an hour the paused replica still serves reads, and does not have "later" yet…
        expect(await readsServedOn(patient, 5433)).toBe(5433);
        const stale = await createConversation(patient).ask({
          text: `creator @${later}`,
          workspace: { slug: "later", createIfMissing: false },
          now: NOW,
        });
        expect(stale.kind === "notFound" && [stale.entity, stale.query, stale.suggestions]).toEqual([
          "creator",
          later,
          [],
        ]);
        // …while with a bound of 2 s the same question is answered from the primary.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(await readsServedOn(store, 5432)).toBe(5432);
        const fresh = await core.ask({
          text: `creator @${later}`,
          workspace: { slug: "later", createIfMissing: false },
          now: NOW,
        });
        expect(fresh.kind === "creatorProfile" && fresh.creator.handle).toBe(later);
      } finally {
        await onReplica("SELECT pg_wal_replay_resume()");
        await patient.close();
      }
      expect(await readsServedOn(store, 5433)).toBe(5433);
    });

    it("reads from the primary while the replica is down, and from the replica again once it is back", async () => {
      expect(await readsServedOn(store, 5433)).toBe(5433);
      await replicaCluster("stop");
      const view = await core.ask({
        text: `creator @${handle}`,
        workspace: { slug: "demo", createIfMissing: false },
        now: NOW,
      });
      expect(view.kind === "creatorProfile" && view.creator.handle).toBe(handle);
      expect(await serverPort(store.reads ?? store.prisma)).toBe(5432);
      await replicaCluster("start");
      expect(await readsServedOn(store, 5433)).toBe(5433);
      const again = await core.ask({
        text: `creator @${handle}`,
        workspace: { slug: "demo", createIfMissing: false },
        now: NOW,
      });
      expect(again.kind === "creatorProfile" && again.creator.handle).toBe(handle);
    });

    it("builds digests and alerts, and answers the CLI and the playground, from the replica within the bound and from the primary beyond it", async () => {
      // The demo's longevity drop fires on its own data as of ALERTS_AT (test/schedule/alerts.test.ts).
      const ALERTS_AT = new Date("2026-11-23T09:00:00Z");
      const slug = "scheduled";
      const asView = (view: unknown) => view;
      const platforms = [{ platform: "slack", render: asView, send: null }];
      const renderers = { slack: asView };
      const askIn = (text: string, channelId: string) =>
        core.ask({
          text,
          workspace: { slug, createIfMissing: false },
          channel: { platform: "slack", id: channelId },
          now: ALERTS_AT,
        });
      expect(await readsServedOn(store, 5433)).toBe(5433);
      await onReplica("SELECT pg_wal_replay_pause()");
      const patient = await openStore({
        databaseUrl: primaryUrl,
        replica: replicaSettings(3600),
      });
      try {
        // Written on the primary while the replica replays nothing: the data, a digest, an alert rule.
        await seedDemo(scratch, { now: ALERTS_AT, slug });
        await askIn("subscribe weekly monday 09:00", "C0DIGEST");
        await askIn("alert longevity drop 25%", "C0ALERT");
        const workspace = await findWorkspace(store.prisma, slug);
        const scope = { workspaceId: workspace?.id ?? 0, campaignId: null };
        const [firstPeriod, secondPeriod] = [
          new Date("2026-11-30T09:00:00Z"),
          new Date("2026-12-07T09:00:00Z"),
        ];
        const onPrimary = (period: Date) => digestView({ prisma: store.prisma }, scope, period);
        const payloadOf = async (period: Date) =>
          (await store.prisma.delivery.findFirstOrThrow({ where: { channelId: "C0DIGEST", dueAt: period } }))
            .payload as unknown as ViewModel;
        const cli = (maxLagSeconds: number, ...args: string[]) =>
          run(CLI, [...CLI_ARGS, ...args, "--workspace", slug, "--now", ALERTS_AT.toISOString()], {
            env: {
              ...process.env,
              LOG_LEVEL: "silent",
              DATABASE_URL: primaryUrl,
              DATABASE_REPLICA_URL: replicaUrl,
              DATABASE_REPLICA_MAX_LAG_SECONDS: String(maxLagSeconds),
            },
          }).then(
            ({ stdout }) => ({ code: 0, stdout }),
            (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
          );
        const creator = demoCreators({ now: ALERTS_AT })[0]?.handle ?? "";

        // Within an hour's bound the paused replica serves every read: it has none of those posts yet.
        expect(await readsServedOn(patient, 5433)).toBe(5433);
        // (The payloads are the view models; C0DIGEST's is read back from the outbox.)
        const stale = await schedulerFor({ store: patient, platforms }).tick(firstPeriod);
        expect(stale.enqueuedAlerts).toBe(0);
        const stalePayload = await payloadOf(firstPeriod);
        expect(
          stalePayload.kind === "weeklyDigest" && [stalePayload.evergreen, stalePayload.topBySustained],
        ).toEqual([[], []]);
        expect((await onPrimary(firstPeriod)).evergreen.length).toBeGreaterThan(0);
        const staleAlerts = { prisma: patient.prisma, reads: patient.reads, renderers };
        expect(await evaluateAlertRules(staleAlerts, ALERTS_AT, { workspaceId: scope.workspaceId })).toBe(0);
        const stalePlayground = await createBackend({ store: patient, now: () => ALERTS_AT }).digest(slug);
        expect(
          stalePlayground.digest.view.kind === "weeklyDigest" && stalePlayground.digest.view.evergreen,
        ).toEqual([]);
        expect(await cli(3600, "ask", `creator @${creator}`)).toEqual({
          code: 1,
          stdout: `I don't know @${creator}.\n`,
        });

        // Bound 2 s: the replica is now further behind, so the same reads go to the primary.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(await readsServedOn(store, 5432)).toBe(5432);
        await schedulerFor({ store, platforms }).tick(secondPeriod);
        expect(await payloadOf(secondPeriod)).toEqual(
          JSON.parse(JSON.stringify(await onPrimary(secondPeriod))),
        );
        const freshAlerts = { prisma: store.prisma, reads: store.reads, renderers };
        expect(await evaluateAlertRules(freshAlerts, ALERTS_AT, { workspaceId: scope.workspaceId })).toBe(1);
        const freshPlayground = await createBackend({ store, now: () => ALERTS_AT }).digest(slug);
        expect(freshPlayground.digest.view).toEqual(await onPrimary(ALERTS_AT));
        const answered = await cli(2, "ask", `creator @${creator}`);
        expect([answered.code, answered.stdout.split("\n")[0]]).toEqual([0, `@${creator}`]);
      } finally {
        await onReplica("SELECT pg_wal_replay_resume()");
        await patient.close();
      }
    }, 120_000);
  },
);
