import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureSnapshotMonths } from "../../src/store/partitions.ts";
import { openTestStore } from "../support/store.ts";

/** metric_snapshot partitioned by month (prisma/migrations/*_metric_snapshot_partitions), on either store. */
describe("metric_snapshot's month partitions", () => {
  let store: Store;
  let postId: number;

  beforeAll(async () => {
    store = await openTestStore();
    await seedDemo(store, { now: new Date("2026-03-02T09:00:00Z"), creators: 2 });
    const post = await store.prisma.post.findFirstOrThrow({ orderBy: { id: "asc" } });
    postId = post.id;
  });
  afterAll(async () => store?.close());

  const partitionOf = async (capturedAt: string) => {
    const [row] = await store.prisma.$queryRaw<{ partition: string }[]>`
      SELECT tableoid::regclass::text AS partition FROM metric_snapshot
      WHERE post_id = ${postId} AND captured_at = ${new Date(capturedAt)}`;
    return row?.partition;
  };
  const factStored = async () => (await store.prisma.postFact.count({ where: { postId } })) === 1;
  const storeFacts = () =>
    store.prisma.$executeRaw`
      INSERT INTO post_fact (post_id) VALUES (${postId}) ON CONFLICT (post_id) DO NOTHING`;

  it("has the months from 12 before the clock to 2 after it, plus DEFAULT, and the data in its months", async () => {
    const now = new Date();
    const month = (offset: number) => {
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `metric_snapshot_partitions.metric_snapshot_${start.toISOString().slice(0, 7).replace("-", "_")}`;
    };
    const partitions = await store.prisma.$queryRaw<{ name: string }[]>`
      SELECT inhrelid::regclass::text AS name FROM pg_inherits
      WHERE inhparent = 'metric_snapshot'::regclass ORDER BY 1`;
    const names = partitions.map((partition) => partition.name);
    for (const offset of [-12, -1, 0, 1, 2]) expect(names).toContain(month(offset));
    expect(names).toContain("metric_snapshot_partitions.metric_snapshot_default");
    expect(await ensureSnapshotMonths(store.prisma, now)).toBe(0);
    const [inDefault] = await store.prisma.$queryRaw<{ rows: number }[]>`
      SELECT count(*)::int AS rows FROM metric_snapshot_partitions.metric_snapshot_default`;
    const [everything] = await store.prisma.$queryRaw<{ rows: number }[]>`
      SELECT count(*)::int AS rows FROM metric_snapshot`;
    expect([inDefault?.rows, everything?.rows]).toEqual([0, await store.prisma.metricSnapshot.count()]);
  });

  it("keeps a month without a partition in DEFAULT, and moves it into its month once that is made, facts kept", async () => {
    await store.prisma.metricSnapshot.create({
      data: { postId, capturedAt: new Date("2019-06-10T12:00:00Z"), likes: 4n },
    });
    expect(await partitionOf("2019-06-10T12:00:00Z")).toBe(
      "metric_snapshot_partitions.metric_snapshot_default",
    );
    await storeFacts();
    expect(await ensureSnapshotMonths(store.prisma, new Date("2019-06-20T00:00:00Z"))).toBe(15);
    expect(await partitionOf("2019-06-10T12:00:00Z")).toBe(
      "metric_snapshot_partitions.metric_snapshot_2019_06",
    );
    // Moving rows changes no post: its stored facts stay.
    expect(await factStored()).toBe(true);
  });

  it("forgets a post's facts on every write to its snapshots, in whichever partition", async () => {
    await storeFacts();
    await store.prisma.metricSnapshot.update({
      where: { postId_capturedAt: { postId, capturedAt: new Date("2019-06-10T12:00:00Z") } },
      data: { likes: 5n },
    });
    expect(await factStored()).toBe(false);
    await storeFacts();
    await store.prisma.$executeRaw`
      INSERT INTO metric_snapshot (post_id, captured_at, likes) VALUES (${postId}, '2026-02-01T00:00:00Z', 1)
      ON CONFLICT (post_id, captured_at) DO UPDATE SET likes = EXCLUDED.likes`;
    expect(await factStored()).toBe(false);
    await storeFacts();
    await store.prisma.metricSnapshot.delete({
      where: { postId_capturedAt: { postId, capturedAt: new Date("2026-02-01T00:00:00Z") } },
    });
    expect(await factStored()).toBe(false);
  });

  it("keeps (post_id, captured_at) unique and deletes a post's snapshots with it", async () => {
    const twice = store.prisma.$executeRaw`
      INSERT INTO metric_snapshot (post_id, captured_at, likes) VALUES (${postId}, '2019-06-10T12:00:00Z', 9)`;
    await expect(twice).rejects.toMatchObject({
      code: "P2010",
      meta: { driverAdapterError: { cause: { originalCode: "23505", kind: "UniqueConstraintViolation" } } },
    });
    await store.prisma.post.delete({ where: { id: postId } });
    expect(await store.prisma.metricSnapshot.count({ where: { postId } })).toBe(0);
  });
});
