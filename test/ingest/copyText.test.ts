import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyTextLine } from "../../src/ingest/copyText.ts";
import type { Store } from "../../src/store/database.ts";
import { inEmbeddedTransaction } from "../../src/store/embeddedSql.ts";
import { openTestStore } from "../support/store.ts";

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

/** The lines through COPY into a table, as the import stages rows: FROM STDIN or from a blob. */
async function copy(lines: string): Promise<void> {
  if (store.embedded) {
    await inEmbeddedTransaction(store.embedded, (tx) =>
      tx.copyFrom("COPY copied FROM '/dev/blob'", new TextEncoder().encode(lines)),
    );
    return;
  }
  const client = await store.pool?.connect();
  if (!client) throw new Error("the test store is neither embedded nor PostgreSQL");
  try {
    await pipeline(Readable.from([lines]), client.query(copyFrom("COPY copied FROM STDIN")));
  } finally {
    client.release();
  }
}

/** Texts through COPY and back, in order. */
async function copiedBack(values: (string | null)[]): Promise<unknown[]> {
  await store.prisma.$executeRawUnsafe("CREATE TABLE copied (position int, value text)");
  try {
    await copy(values.map((value, position) => copyTextLine([position, value])).join(""));
    const rows = await store.prisma.$queryRawUnsafe<{ value: string | null }[]>(
      "SELECT value FROM copied ORDER BY position",
    );
    return rows.map((row) => row.value);
  } finally {
    await store.prisma.$executeRawUnsafe("DROP TABLE copied");
  }
}

describe("copyTextLine", () => {
  it("reads back as the same texts through COPY, whatever characters they hold", async () => {
    const tricky = ["", "\\N", "\\", "tab\there", "multi\nline", "cr\rlf", "NULL", "ünïcødé 🎉"];
    expect(await copiedBack([...tricky, null])).toEqual([...tricky, null]);
    // PostgreSQL text cannot hold the NUL character; everything else must survive.
    const texts = fc.array(fc.string({ unit: "grapheme" }).filter((text) => !text.includes("\u0000")));
    await fc.assert(
      fc.asyncProperty(texts, async (values) => {
        expect(await copiedBack(values)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });
});
