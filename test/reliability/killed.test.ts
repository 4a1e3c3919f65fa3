import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoCsv } from "../../src/ingest/demo.ts";
import { openStore } from "../../src/store/database.ts";
import { PROCESS_STORE_NAME, type ProcessStore, processStore } from "./harness.ts";

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
