import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { log } from "../../src/log.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { ONE_SHOT } from "../../src/store/embedded.ts";

/** Long enough to be running when the test kills the worker, whatever the machine's load. */
const LONG_QUERY = "SELECT count(*) AS n FROM generate_series(1, 2000000000) AS i";
const RESTARTING =
  "the embedded database stopped (its thread exited with code 1) and is restarting; try again";

/** The message of what `work` rejects with. */
async function failureOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => new Error("it did not fail"),
    (caught: unknown) => caught,
  );
  return (error as Error).message;
}

/** Resolves once the worker has been asked `work` and has not answered for 200 ms: it is running. */
async function running(work: Promise<unknown>): Promise<void> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(settled).toBe(false);
}

async function slugs(store: Store): Promise<string[]> {
  const rows = await store.prisma.workspace.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
  return rows.map((row) => row.slug);
}

describe("the embedded store's worker thread dies (a crash, out of memory)", { timeout: 120_000 }, () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    log.level = "silent";
    dataDir = mkdtempSync(join(tmpdir(), "longtail-embedded-"));
    store = await openStore({ dataDir });
    await store.prisma.workspace.create({ data: { slug: "kept", name: "kept" } });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the query running then is told to try again; the store restarts by itself and keeps its data", async () => {
    const long = store.prisma.$queryRawUnsafe(LONG_QUERY);
    await running(long);
    await store.embedded?.killWorker();
    expect(await failureOf(long)).toBe(RESTARTING);

    expect(await slugs(store)).toEqual(["kept"]);
    await store.prisma.workspace.create({ data: { slug: "after", name: "after" } });
    expect(await slugs(store)).toEqual(["after", "kept"]);
  });

  it("a transaction open at the death is gone as a whole", async () => {
    const transaction = store.prisma.$transaction(
      async (tx) => {
        await tx.workspace.create({ data: { slug: "half-written", name: "x" } });
        await tx.$queryRawUnsafe(LONG_QUERY);
      },
      { timeout: 60_000 },
    );
    await running(transaction);
    await store.embedded?.killWorker();
    expect(await failureOf(transaction)).toBe(RESTARTING);
    expect(await slugs(store)).toEqual(["after", "kept"]);
  });

  it("dies twice in a row and still answers", async () => {
    await store.embedded?.killWorker();
    expect(await store.prisma.workspace.count()).toBe(2);
    await store.embedded?.killWorker();
    expect(await store.prisma.workspace.count()).toBe(2);
  });

  it("in memory, its data is gone with the thread: calls are refused, saying so", async () => {
    const inMemory = await openStore({ dataDir: "memory://" });
    try {
      await inMemory.embedded?.killWorker();
      expect(await failureOf(inMemory.prisma.workspace.count())).toBe(
        "the embedded database in memory has stopped (its thread exited with code 1); its data is gone",
      );
    } finally {
      await inMemory.close();
    }
  });
});

describe("the embedded store in the calling thread (one-shot commands)", { timeout: 120_000 }, () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "longtail-one-shot-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("migrates, reads and writes, and reports the database's errors as the worker does", async () => {
    const first = await openStore({ dataDir }, ONE_SHOT);
    try {
      expect(first.migrationsApplied.length).toBeGreaterThan(0);
      await first.prisma.workspace.create({ data: { slug: "twice", name: "twice" } });
      await expect(
        first.prisma.workspace.create({ data: { slug: "twice", name: "again" } }),
      ).rejects.toMatchObject({ code: "P2002" });
      await expect(
        first.prisma.$transaction(async (tx) => {
          await tx.workspace.create({ data: { slug: "rolled-back", name: "x" } });
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
    } finally {
      await first.close();
    }

    const worker = await openStore({ dataDir });
    try {
      expect(await slugs(worker)).toEqual(["twice"]);
    } finally {
      await worker.close();
    }
  });
});
