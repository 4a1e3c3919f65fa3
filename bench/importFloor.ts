/**
 * Each store's floor for the import: the same CSV through COPY into a staging table, then
 * hand-written set-based statements normalising it into creator, campaign, post and
 * metric_snapshot, in one transaction, in a fresh migrated database. No validation, no facts:
 * the least work the database itself needs to store the file.
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Prisma } from "../src/generated/prisma/client.ts";
import { IMPORT_COLUMNS } from "../src/ingest/row.ts";
import { COUNTERS } from "../src/metrics/types.ts";
import { migratePostgres, openStore } from "../src/store/database.ts";
import { inEmbeddedTransaction } from "../src/store/embeddedSql.ts";
import type { BenchTarget } from "./targets.ts";

const STAGING_TABLE = `CREATE TEMP TABLE raw (${IMPORT_COLUMNS.map((column) => `${column} text`).join(", ")}) ON COMMIT DROP`;

const NORMALISE = `
WITH ws AS (INSERT INTO workspace (slug, name) VALUES ('floor', 'floor') RETURNING id)
SELECT id FROM ws;
INSERT INTO creator (workspace_id, platform, handle, followers)
SELECT DISTINCT ON (platform, creator) (SELECT id FROM workspace WHERE slug = 'floor'), platform, creator,
  followers::int
FROM raw ORDER BY platform, creator;
INSERT INTO campaign (workspace_id, name)
SELECT DISTINCT (SELECT id FROM workspace WHERE slug = 'floor'), campaign FROM raw WHERE campaign <> '';
INSERT INTO post (workspace_id, creator_id, campaign_id, platform, external_id, published_at, fee)
SELECT DISTINCT ON (r.platform, r.post_id) c.workspace_id, c.id, cp.id, r.platform, r.post_id,
  r.published_at::timestamptz, coalesce(nullif(r.fee, '')::numeric, 0)
FROM raw r
JOIN creator c ON c.workspace_id = (SELECT id FROM workspace WHERE slug = 'floor') AND c.platform = r.platform
  AND c.handle = r.creator
LEFT JOIN campaign cp ON cp.workspace_id = c.workspace_id AND cp.name = r.campaign
ORDER BY r.platform, r.post_id;
INSERT INTO metric_snapshot (post_id, captured_at, ${COUNTERS.join(", ")})
SELECT DISTINCT ON (p.id, r.captured_at::timestamptz) p.id, r.captured_at::timestamptz,
  ${COUNTERS.map((counter) => `r.${counter}::${counter === "revenue" ? "numeric" : "int8"}`).join(", ")}
FROM raw r
JOIN post p ON p.workspace_id = (SELECT id FROM workspace WHERE slug = 'floor') AND p.platform = r.platform
  AND p.external_id = r.post_id
ORDER BY p.id, r.captured_at::timestamptz;`;

/** Seconds PostgreSQL takes to COPY the file and normalise it, measured on a fresh database. */
export async function importFloorSeconds(csvPath: string, target: BenchTarget): Promise<number> {
  if (!("databaseUrl" in target.location)) throw new Error("The import floor runs on PostgreSQL");
  await migratePostgres(target.location.databaseUrl);
  const client = new pg.Client({ connectionString: target.location.databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    await client.query("BEGIN");
    await client.query(STAGING_TABLE);
    await pipeline(
      createReadStream(csvPath),
      client.query(copyFrom("COPY raw FROM STDIN (FORMAT csv, HEADER true)")),
    );
    await client.query(NORMALISE);
    await client.query("COMMIT");
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** Bytes of the CSV per COPY from a blob: PGlite holds a blob whole in its memory. */
const PGLITE_COPY_BYTES = 64 * 1024 * 1024;

/**
 * The same floor on a fresh embedded store in `dataDir`, opened as the import opens it: the file
 * through `COPY … FROM '/dev/blob'` a piece of whole lines at a time, then the same statements.
 */
export async function pgliteImportFloorSeconds(csvPath: string, dataDir: string): Promise<number> {
  const store = await openStore({ dataDir });
  try {
    const embedded = store.embedded;
    if (!embedded) throw new Error("The PGlite floor runs on an embedded store");
    const started = performance.now();
    await inEmbeddedTransaction(embedded, async (tx) => {
      await tx.$executeRaw`${Prisma.raw(STAGING_TABLE)}`;
      let header = true;
      for await (const piece of wholeLinePieces(csvPath)) {
        await tx.copyFrom(`COPY raw FROM '/dev/blob' (FORMAT csv, HEADER ${header})`, piece);
        header = false;
      }
      for (const statement of NORMALISE.split(";").filter((text) => text.trim() !== "")) {
        await tx.$executeRaw`${Prisma.raw(statement)}`;
      }
    });
    return (performance.now() - started) / 1000;
  } finally {
    await store.close();
  }
}

/** The file in pieces of about PGLITE_COPY_BYTES, each ending at a line's end (no quoted value spans lines here). */
async function* wholeLinePieces(path: string): AsyncGenerator<Uint8Array> {
  let held = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: PGLITE_COPY_BYTES })) {
    const bytes = Buffer.concat([held, chunk as Buffer]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    held = bytes.subarray(end);
    if (end > 0) yield bytes.subarray(0, end);
  }
  if (held.length > 0) yield held;
}
