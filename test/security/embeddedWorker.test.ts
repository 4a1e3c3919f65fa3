import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";

/** The longest the event loop went without a turn while `work` ran, sampled every 5 ms. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe("the embedded store runs in a worker thread", () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ dataDir: "memory://" });
  });
  afterAll(async () => store?.close());

  it("keeps the event loop turning while a long query runs", async () => {
    let queryMs = 0;
    const stall = await longestStall(async () => {
      const started = performance.now();
      await store.prisma.$queryRawUnsafe(
        "SELECT sum(i::bigint * i)::text AS total FROM generate_series(1, 3000000) AS i",
      );
      queryMs = performance.now() - started;
    });
    // On the event loop the stall would be the whole query; a busy machine still delays some turns.
    expect(queryMs).toBeGreaterThan(500);
    expect(stall).toBeLessThan(Math.min(1000, queryMs / 4));
  });

  it("reports the database's errors as Prisma does, and rolls back a failed transaction", async () => {
    await store.prisma.workspace.create({ data: { slug: "twice", name: "twice" } });
    await expect(
      store.prisma.workspace.create({ data: { slug: "twice", name: "again" } }),
    ).rejects.toMatchObject({
      code: "P2002",
    });
    await expect(
      store.prisma.$transaction(async (tx) => {
        await tx.workspace.create({ data: { slug: "rolled-back", name: "x" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(
      await store.prisma.workspace.findMany({ select: { slug: true }, orderBy: { slug: "asc" } }),
    ).toEqual([{ slug: "twice" }]);
  });

  it("opens an in-memory store quickly from the migrated snapshot, empty and up to date", async () => {
    const started = performance.now();
    const other = await openStore({ dataDir: "memory://" });
    try {
      expect(performance.now() - started).toBeLessThan(5000);
      expect(other.migrationsApplied).toEqual([]);
      expect(await other.prisma.workspace.count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("refuses calls once closed, with a plain message", async () => {
    const other = await openStore({ dataDir: "memory://" });
    await other.close();
    await expect(other.prisma.workspace.count()).rejects.toThrow("the embedded database is closed");
  });
});
