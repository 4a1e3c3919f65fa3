import { describe, expect, it } from "vitest";
import type { ImportRow } from "../../src/ingest/row.ts";
import { stagedChunksOf } from "../../src/ingest/staging.ts";
import { COUNTERS } from "../../src/metrics/types.ts";

function* snapshots(count: number): Generator<ImportRow> {
  const counters = Object.fromEntries(COUNTERS.map((counter) => [counter, 1])) as Record<
    (typeof COUNTERS)[number],
    number
  >;
  for (let i = 0; i < count; i++) {
    yield {
      platform: "instagram",
      creator: "anna.bakes",
      followers: 12_000,
      campaign: null,
      postId: `P${Math.floor(i / 60)}`,
      publishedAt: new Date("2026-01-01T09:00:00Z"),
      fee: null,
      capturedAt: new Date(Date.UTC(2026, 0, 2) + (i % 60) * 86_400_000),
      ...counters,
    };
  }
}

/** The `seq` (first field) of each line of a chunk's COPY text. */
function sequenceNumbers(copyText: Uint8Array): number[] {
  return new TextDecoder()
    .decode(copyText)
    .trimEnd()
    .split("\n")
    .map((line) => Number(line.split("\t")[0]));
}

describe("staged chunks", () => {
  it("start at 10,000 rows, grow by at most a quarter up to 100,000, and hold every row once, in order", async () => {
    const sizes: number[] = [];
    let expectedSeq = 1;
    let inOrder = true;
    for await (const chunk of stagedChunksOf(snapshots(700_000))) {
      sizes.push(chunk.rows);
      for (const seq of sequenceNumbers(chunk.copyText)) {
        inOrder &&= seq === expectedSeq;
        expectedSeq += 1;
      }
    }
    expect(inOrder).toBe(true);
    expect(expectedSeq - 1).toBe(700_000);
    expect(sizes[0]).toBe(10_000);
    expect(Math.max(...sizes)).toBe(100_000);
    const growths = sizes.slice(1, -1).map((size, index) => size / (sizes[index] as number));
    expect(Math.max(...growths)).toBeLessThanOrEqual(1.2501);
    expect(sizes.slice(-3, -1)).toEqual([100_000, 100_000]);
  });

  it("grow the same way from a smaller size asked for, and never exceed it", async () => {
    const sizes = [];
    for await (const chunk of stagedChunksOf(snapshots(12), 3)) sizes.push(chunk.rows);
    expect(sizes).toEqual([1, 2, 3, 3, 3]);
  });
});
