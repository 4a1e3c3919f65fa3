/**
 * PostgreSQL's floor for the import: the same CSV through `COPY … FROM STDIN` into a staging
 * table, then hand-written set-based statements normalising it into creator, campaign, post and
 * metric_snapshot, in one transaction, in a fresh migrated database. No validation, no facts:
 * the least work PostgreSQL itself needs to store the file.
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { IMPORT_COLUMNS } from "../src/ingest/row.ts";
import { COUNTERS } from "../src/metrics/types.ts";
import { migratePostgres } from "../src/store/database.ts";
import type { BenchTarget } from "./targets.ts";

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
    await client.query(
      `CREATE TEMP TABLE raw (${IMPORT_COLUMNS.map((column) => `${column} text`).join(", ")}) ON COMMIT DROP`,
    );
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
