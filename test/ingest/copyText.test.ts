import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyTextLine, postgresArray } from "../../src/ingest/postgresArray.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

async function unnested(literal: string, type: string): Promise<unknown[]> {
  const rows = await store.prisma.$queryRawUnsafe<{ value: unknown }[]>(
    `SELECT value FROM unnest($1::${type}[]) WITH ORDINALITY AS t(value, position) ORDER BY position`,
    literal,
  );
  return rows.map((row) => row.value);
}

describe("postgresArray", () => {
  it("reads back as the same texts, whatever characters they hold", async () => {
    const tricky = [
      "",
      "NULL",
      "a,b",
      '"quoted"',
      "back\\slash",
      "{braces}",
      " spaced ",
      "ünïcødé 🎉",
      "multi\nline",
    ];
    expect(await unnested(postgresArray([...tricky, null]), "text")).toEqual([...tricky, null]);

    // PostgreSQL text cannot hold the NUL character; everything else must survive.
    const texts = fc.array(fc.string({ unit: "grapheme" }).filter((text) => !text.includes("\u0000")));
    await fc.assert(
      fc.asyncProperty(texts, async (values) => {
        expect(await unnested(postgresArray(values), "text")).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  it("reads back numbers as whole numbers and decimals", async () => {
    expect(await unnested(postgresArray([0, 42, 9_007_199_254_740_991, null]), "int8")).toEqual([
      0n,
      42n,
      9_007_199_254_740_991n,
      null,
    ]);
    const decimals = await unnested(
      postgresArray([0, 39.95, 0.1 + 0.2, 999_999_999_999.99]),
      "numeric(14,2)",
    );
    expect(decimals.map(Number)).toEqual([0, 39.95, 0.3, 999_999_999_999.99]);
  });

  it("reads back an empty list as no rows", async () => {
    expect(await unnested(postgresArray([]), "text")).toEqual([]);
  });
});

/** Texts through COPY FROM STDIN and back, in order (PostgreSQL only: the import's COPY path). */
async function copiedBack(values: (string | null)[]): Promise<unknown[]> {
  const pool = store.pool;
  if (!pool) throw new Error("COPY needs PostgreSQL");
  const client = await pool.connect();
  try {
    await client.query("CREATE TEMP TABLE copied (position int, value text)");
    const lines = values.map((value, position) => copyTextLine([position, value])).join("");
    await pipeline(Readable.from([lines]), client.query(copyFrom("COPY copied FROM STDIN")));
    const { rows } = await client.query("SELECT value FROM copied ORDER BY position");
    await client.query("DROP TABLE copied");
    return rows.map((row) => row.value);
  } finally {
    client.release();
  }
}

describe.runIf(process.env.LONGTAIL_TEST_DATABASE_URL)("copyTextLine (npm run test:pg)", () => {
  it("reads back as the same texts through COPY, whatever characters they hold", async () => {
    const tricky = ["", "\\N", "\\", "tab\there", "multi\nline", "cr\rlf", "NULL", "ünïcødé 🎉"];
    expect(await copiedBack([...tricky, null])).toEqual([...tricky, null]);
    const texts = fc.array(fc.string({ unit: "grapheme" }).filter((text) => !text.includes("\u0000")));
    await fc.assert(
      fc.asyncProperty(texts, async (values) => {
        expect(await copiedBack(values)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });
});
