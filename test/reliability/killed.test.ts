import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoCsv } from "../../src/ingest/demo.ts";
import { openStore } from "../../src/store/database.ts";
import { openScheduleWorld, type ScheduleWorld, typeInChannel } from "../schedule/support.ts";
import { describeOnPostgres } from "../support/postgres.ts";
import {
  PROCESS_STORE_NAME,
  type ProcessStore,
  processStore,
  type Running,
  scheduleWorldEnv,
  startLongtail,
} from "./harness.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Enough rows that writing them takes a few seconds on this machine. */
const DEMO = { now: new Date("2026-11-01T00:00:00Z"), creators: 30, posts: 500, days: 60 };
const ATTEMPTS = 4;

interface ImportRun {
  /** Milliseconds from the spawn to the summary line (the whole import written and committed). */
  summaryAtMs: number;
  /** The seconds the import itself took, as its summary reports them. */
  importSeconds: number;
  exitCode: number | null;
}

/** `longtail import FILE --workspace WORKSPACE` as a child process; killed with SIGKILL once `killWhen` resolves, if given. */
function runImport(
  env: Record<string, string>,
  file: string,
  workspace: string,
  killWhen?: (running: () => boolean) => Promise<void>,
): Promise<ImportRun> {
  const startedAt = Date.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli.ts", "import", file, "--workspace", workspace],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let summaryAtMs = Number.NaN;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (Number.isNaN(summaryAtMs) && output.includes("Imported ")) summaryAtMs = Date.now() - startedAt;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  void killWhen?.(running).then(() => running() && child.kill("SIGKILL"));
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      const seconds = / in ([\d.]+) s,/.exec(output)?.[1];
      resolve({ summaryAtMs, importSeconds: seconds ? Number(seconds) : Number.NaN, exitCode: code });
    }),
  );
}

/**
 * When to kill on the embedded store, which no second connection can watch: a quarter into the
 * writing, which ran for `importSeconds` up to the summary at `summaryAtMs`.
 */
function killPoint(run: ImportRun): number {
  return Math.round(run.summaryAtMs - run.importSeconds * 750);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once a transaction in `databaseUrl`'s database has written (has an xid): the import's. */
const writing = (databaseUrl: string) => async (running: () => boolean) => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    while (running()) {
      const { rowCount } = await client.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
      );
      if (rowCount) return;
      await delay(20);
    }
  } finally {
    await client.end();
  }
};

/** Posts and snapshots of the workspace, read by opening the store afresh (as the next process would). */
async function countsIn(
  env: Record<string, string>,
  workspace: string,
): Promise<{ posts: number; snapshots: number }> {
  const store = await openStore(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.LONGTAIL_DATA_DIR ?? "" },
  );
  try {
    const where = { workspace: { slug: workspace } };
    return {
      posts: await store.prisma.post.count({ where }),
      snapshots: await store.prisma.metricSnapshot.count({ where: { post: where } }),
    };
  } finally {
    await store.close();
  }
}

describe(`a process killed mid-import (${PROCESS_STORE_NAME}, a real process)`, () => {
  let folder: string;
  let file: string;
  let expected: { posts: number; snapshots: number };
  let measured: ImportRun;
  let store: ProcessStore;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "longtail-killed-"));
    file = join(folder, "demo.csv");
    await writeDemoCsv(file, DEMO);
    store = await processStore("killed");
    // Opened (and migrated) here first: on PostgreSQL, the only transaction writing next is an import's.
    expect(await countsIn(store.env, "reference")).toEqual({ posts: 0, snapshots: 0 });
    // The full import once, into a workspace of its own: how long it takes, and what it writes.
    measured = await runImport(store.env, file, "reference");
    expected = await countsIn(store.env, "reference");
  }, 60_000);
  afterAll(async () => {
    await store?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("leaves the file imported whole or not at all, and the next import writes all of it", async () => {
    expect(measured.exitCode).toBe(0);
    expect(expected.posts).toBeGreaterThan(0);
    let killAfterMs = killPoint(measured);
    const databaseUrl = store.env.DATABASE_URL;
    const outcomes: string[] = [];
    let workspace = "";
    // A workspace per attempt: an import that finished would make the next one's outcome unreadable.
    for (let attempt = 1; attempt <= ATTEMPTS && !outcomes.includes("nothing"); attempt++) {
      workspace = `killed-${attempt}`;
      const killWhen = databaseUrl ? writing(databaseUrl) : () => delay(killAfterMs);
      const run = await runImport(store.env, file, workspace, killWhen);
      if (run.exitCode === 0) killAfterMs = killPoint(run);
      const counts = await countsIn(store.env, workspace);
      const whole = counts.posts > 0;
      expect(counts).toEqual(whole ? expected : { posts: 0, snapshots: 0 });
      // Nothing written means the kill came first: a finished import exits 0 with all of it.
      if (!whole) expect(run.exitCode).toBe(null);
      outcomes.push(whole ? "whole" : "nothing");
    }
    console.info(
      `${PROCESS_STORE_NAME}: full import ${measured.importSeconds} s; SIGKILL mid-write left: ${outcomes.join(", ")}`,
    );
    expect(outcomes).toContain("nothing");
    const again = await runImport(store.env, file, workspace);
    expect(again.exitCode).toBe(0);
    expect(await countsIn(store.env, workspace)).toEqual(expected);
  }, 120_000);
});

const CHANNELS = ["C0KILL1", "C0KILL2", "C0KILL3", "C0KILL4"];
/** Slack holds each chat.postMessage this long before answering: the kill lands while one is held. */
const SLACK_ANSWERS_AFTER_MS = 2_000;
/** The shortest lease the configuration takes, and a tick every 2 s: the takeover comes within ~17 s. */
const SCHEDULE_ENV = { LONGTAIL_TICK_SECONDS: "2", LONGTAIL_OUTBOX_LEASE_SECONDS: "15" };

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("not reached in time");
    await delay(100);
  }
}

describeOnPostgres("a process killed mid-digest, a second one on the same PostgreSQL database", () => {
  let world: ScheduleWorld;
  const apps: Running[] = [];

  beforeAll(async () => {
    world = await openScheduleWorld();
    const now = new Date();
    for (const channel of CHANNELS)
      await typeInChannel(world.ctx, "subscribe daily 09:00", channel, now, "UTC");
    // Each digest's period comes due now: the first tick of the first process sends them.
    await world.store.prisma.subscription.updateMany({ data: { nextRunAt: now } });
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) if (app.child.exitCode === null) app.child.kill("SIGKILL");
    await world?.close();
  });

  it("delivers each channel's digest once; only the one Slack held at the kill goes out twice", async () => {
    const env = await scheduleWorldEnv(world, SCHEDULE_ENV);
    const startedAt = Date.now();
    const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);
    world.stub.delayMs = SLACK_ANSWERS_AFTER_MS;
    const first = await startLongtail(env);
    apps.push(first);
    const posts = () => world.stub.callsTo("chat.postMessage");
    // The first digest was answered and marked sent; the second has reached Slack, unanswered.
    await until(() => posts().length >= 2, 20_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const killedAt = seconds();
    const inFlight = String(posts()[1]?.body.channel);
    expect(posts()).toHaveLength(2);

    world.stub.delayMs = 0;
    apps.push(await startLongtail(env));
    // The dead process's lease (15 s) runs out; the second one's next tick takes its rows over.
    const sent = () => world.store.prisma.delivery.count({ where: { status: "sent" } });
    await until(async () => (await sent()) === CHANNELS.length, 30_000);
    const allSentAt = seconds();
    // A tick every 2 s: a duplicate would show within the next ones.
    await delay(3_000);

    const perChannel = Object.fromEntries(
      CHANNELS.map((channel) => [channel, posts().filter((call) => call.body.channel === channel).length]),
    );
    expect(perChannel).toEqual(
      Object.fromEntries(CHANNELS.map((channel) => [channel, channel === inFlight ? 2 : 1])),
    );
    // The re-sent message names the same outbox row, so the duplicate can be recognised.
    const twice = posts().filter((call) => call.body.channel === inFlight);
    expect(twice[1]?.body.metadata).toEqual(twice[0]?.body.metadata);
    expect(await world.store.prisma.delivery.count()).toBe(CHANNELS.length);
    console.info(
      `killed mid-digest: ${JSON.stringify(perChannel)} (${inFlight} was in flight at the kill); ` +
        `killed at ${killedAt} s, all sent at ${allSentAt} s`,
    );
  }, 60_000);
});
