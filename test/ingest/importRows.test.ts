import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRows } from "../../src/ingest/demo.ts";
import { importRows } from "../../src/ingest/importRows.ts";
import type { ImportRow } from "../../src/ingest/row.ts";
import { COUNTERS } from "../../src/metrics/types.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";
import { workspaceContents } from "./support.ts";

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(() => store.close());

const PUBLISHED = Date.parse("2026-03-01T00:00:00Z");
const DAY = 86_400_000;

/** Rows of a few posts by a few creators: the same post in many rows, the same snapshot more than once. */
const rowsArbitrary = fc.array(
  fc.record({
    post: fc.integer({ min: 1, max: 4 }),
    creator: fc.constantFrom("anna.bakes", "maya.moves"),
    followers: fc.integer({ min: 0, max: 100_000 }),
    campaign: fc.constantFrom(null, "spring", "autumn"),
    fee: fc.constantFrom(null, 0, 120, 250.5),
    day: fc.integer({ min: 0, max: 35 }),
    counters: fc.array(fc.option(fc.integer({ min: 0, max: 5_000 })), {
      minLength: COUNTERS.length,
      maxLength: COUNTERS.length,
    }),
  }),
  { minLength: 1, maxLength: 40 },
);

type Cells = typeof rowsArbitrary extends fc.Arbitrary<(infer T)[]> ? T : never;

function importRow(cells: Cells): ImportRow {
  const counters = Object.fromEntries(
    COUNTERS.map((counter, index) => [counter, cells.counters[index] ?? null]),
  );
  return {
    platform: "instagram",
    creator: cells.creator,
    followers: cells.followers,
    campaign: cells.campaign,
    postId: `P${cells.post}`,
    publishedAt: new Date(PUBLISHED + cells.post * DAY),
    fee: cells.fee,
    capturedAt: new Date(PUBLISHED + (cells.post + cells.day) * DAY),
    ...(counters as Pick<ImportRow, (typeof COUNTERS)[number]>),
  };
}

/** The stored facts of a workspace's posts, by the post's id on its platform. */
function factsOf(slug: string) {
  return store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT p.external_id, to_jsonb(f) - 'post_id' AS facts
     FROM post_fact f JOIN post p ON p.id = f.post_id JOIN workspace w ON w.id = p.workspace_id
     WHERE w.slug = $1 ORDER BY p.external_id`,
    slug,
  );
}

describe("importRows", () => {
  it("stores the same whatever the chunks the rows are staged and merged in", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, fc.integer({ min: 1, max: 7 }), async (cells, chunkRows) => {
        run += 1;
        const rows = cells.map(importRow);
        const whole = await importRows(store, `whole-${run}`, rows);
        const chunked = await importRows(store, `chunked-${run}`, rows, { chunkRows });

        expect(chunked).toEqual(whole);
        expect(await workspaceContents(store, `chunked-${run}`)).toEqual(
          await workspaceContents(store, `whole-${run}`),
        );
        expect(await factsOf(`chunked-${run}`)).toEqual(await factsOf(`whole-${run}`));
      }),
      { numRuns: 25 },
    );
  });
});

describe("the planner's statistics after an import", () => {
  const NOW = new Date("2026-03-02T09:00:00Z");
  /** What the planner believes each table holds, and what it does hold. */
  async function plannerCounts(fresh: Store) {
    return fresh.prisma.$queryRaw<{ table: string; believed: number; held: number }[]>`
      SELECT c.relname AS "table", c.reltuples::int AS believed,
        CASE c.relname
          WHEN 'post' THEN (SELECT count(*) FROM post)
          WHEN 'post_fact' THEN (SELECT count(*) FROM post_fact)
          WHEN 'snapshot_gain' THEN (SELECT count(*) FROM snapshot_gain)
        END::int AS held
      FROM pg_class c WHERE c.relname IN ('post', 'post_fact', 'snapshot_gain') ORDER BY c.relname`;
  }

  it("are renewed when the import grew the store by more than a tenth, and not for one snapshot more", async () => {
    const fresh = await openTestStore();
    try {
      const rows = [...demoRows({ now: NOW, creators: 6, seed: 5 })];
      await importRows(fresh, "acme", rows);
      const afterFirst = await plannerCounts(fresh);
      expect(afterFirst.map((row) => row.table)).toEqual(["post", "post_fact", "snapshot_gain"]);
      for (const row of afterFirst) expect(row.believed, row.table).toBe(row.held);

      const last = rows.at(-1) as ImportRow;
      await importRows(fresh, "acme", [{ ...last, capturedAt: new Date(NOW.getTime() + DAY) }]);
      const afterOne = await plannerCounts(fresh);
      const gains = afterOne.find((row) => row.table === "snapshot_gain");
      expect(gains?.held).toBe((afterFirst.find((row) => row.table === "snapshot_gain")?.held ?? 0) + 1);
      expect(gains?.believed).toBe(gains && gains.held - 1);
    } finally {
      await fresh.close();
    }
  });
});
