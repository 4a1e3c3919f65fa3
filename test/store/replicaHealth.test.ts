import type pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ReplicaHealth } from "../../src/store/replica.ts";

/** Stands in for a pool (timing only; test/store/replica.pg.test.ts uses a real replica): counts queries. */
function countingPool(rows: () => unknown[]) {
  const pool = {
    queries: 0,
    async query() {
      pool.queries += 1;
      return { rows: rows() };
    },
  };
  return pool;
}

const settings = { url: "postgresql://replica", maxLagSeconds: 30, checkIntervalMs: 5000 };

describe("how often the replica is measured", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("measures at most once per interval however many reads ask, and follows the lag it finds", async () => {
    vi.useFakeTimers();
    let behind = 0;
    const primary = countingPool(() => [{ lsn: "0/3000000" }]);
    const replica = countingPool(() => [{ standby: true, caught_up: behind === 0, behind }]);
    const health = new ReplicaHealth(primary as unknown as pg.Pool, replica as unknown as pg.Pool, settings);
    await health.check();
    const verdicts = Array.from({ length: 100 }, () => health.usable());
    await vi.advanceTimersByTimeAsync(4999);
    verdicts.push(health.usable());
    expect([verdicts.every(Boolean), replica.queries, primary.queries]).toEqual([true, 1, 1]);

    behind = 31;
    await vi.advanceTimersByTimeAsync(1);
    expect(health.usable()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect([health.usable(), replica.queries]).toEqual([false, 2]);
  });

  it("stops using a replica whose query failed until a measurement finds it good again", async () => {
    vi.useFakeTimers();
    const pool = countingPool(() => [{ lsn: "0/3000000", standby: true, caught_up: true, behind: 0 }]);
    const health = new ReplicaHealth(pool as unknown as pg.Pool, pool as unknown as pg.Pool, settings);
    await health.check();
    health.markDown();
    expect(health.usable()).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    health.usable();
    await vi.advanceTimersByTimeAsync(0);
    expect(health.usable()).toBe(true);
  });

  it("counts a measurement's age as lag: 25 s behind under a 30 s bound serves reads for 5 s, then none until measured again", async () => {
    vi.useFakeTimers();
    const primary = countingPool(() => [{ lsn: "0/3000000" }]);
    const replica = countingPool(() => [{ standby: true, caught_up: false, behind: 25 }]);
    const rarely = { ...settings, checkIntervalMs: 60_000 };
    const health = new ReplicaHealth(primary as unknown as pg.Pool, replica as unknown as pg.Pool, rarely);
    await health.check();
    expect([health.usable(), health.worstLagSeconds()]).toEqual([true, 25]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect([health.usable(), health.worstLagSeconds()]).toEqual([true, 30]);
    await vi.advanceTimersByTimeAsync(1);
    expect([health.usable(), health.worstLagSeconds(), replica.queries]).toEqual([false, 30.001, 1]);
  });
});
