import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";

describe("the scheduler of a server that runs for months", () => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => store?.close());

  const monthPartitions = async () => {
    const rows = await store.prisma.$queryRaw<{ name: string }[]>`
      SELECT inhrelid::regclass::text AS name FROM pg_inherits
      WHERE inhparent = 'metric_snapshot'::regclass ORDER BY 1`;
    return rows.map((row) => row.name.replace("metric_snapshot_partitions.metric_snapshot_", ""));
  };

  it("makes the snapshot partitions from each new month it ticks in to two months ahead, so no later snapshots pile up in DEFAULT", async () => {
    const scheduler = new Scheduler({
      prisma: store.prisma,
      renderers: {},
      senders: {},
      sleep: async () => undefined,
    });
    const today = new Date();
    const inMonths = (months: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, 15, 9));
    const monthName = (months: number) => inMonths(months).toISOString().slice(0, 7).replace("-", "_");
    expect(await monthPartitions()).not.toContain(monthName(5));

    await scheduler.tick(inMonths(4));
    expect(await monthPartitions()).toEqual(
      expect.arrayContaining([monthName(4), monthName(5), monthName(6)]),
    );
    expect(await monthPartitions()).not.toContain(monthName(7));

    await scheduler.tick(inMonths(5));
    expect(await monthPartitions()).toContain(monthName(7));
  });
});
