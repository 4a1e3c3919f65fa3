import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Prisma } from "../generated/prisma/client.ts";
import { errorSummary, log } from "../log.ts";
import { COUNTERS } from "../metrics/types.ts";
import type { Store } from "../store/database.ts";
import { inEmbeddedTransaction } from "../store/embeddedSql.ts";
import {
  type CounterFalls,
  queryCounterFalls,
  refreshMissingPostFacts,
  refreshPostFacts,
} from "../store/postFacts.ts";
import { sqlOverPg } from "../store/sqlOverPg.ts";
import type { SqlRunner } from "../store/sqlRunner.ts";
import type { ImportRow } from "./row.ts";
import { COPY_INTO_STAGING, STAGING_TABLE_COLUMNS, type StagedChunk, stagedChunksOf } from "./staging.ts";

/** How many counter falls an import spells out; the rest are only counted. */
const KEPT_FALLS = 20;

/** What an import wrote: rows, and the distinct rows of each table it inserted or updated. */
export interface RowsWritten {
  rows: number;
  creators: number;
  campaigns: number;
  posts: number;
  snapshots: number;
  /** Posts whose counters fell by more than 10 % (kept, read as running maxima, reported). */
  counterFalls: CounterFalls;
}

export interface ImportRowsOptions {
  /** Delete the workspace and everything in it first (in the same transaction). */
  replaceWorkspace?: boolean;
  /** Rows staged and merged at a time (100,000 by default; tests make rows cross chunks). */
  chunkRows?: number;
}

/**
 * Writes already-valid rows into the workspace (created when missing), all in one transaction:
 * either every row is stored or none is, and an error thrown by `rows` rolls back as well.
 * The rows go to a staging table a chunk at a time (COPY FROM STDIN on PostgreSQL, COPY from a
 * blob on the embedded store), and one set-based statement per table merges each chunk while the
 * next one is read.
 * Upserts are idempotent and write only what changed (a re-import of the same file writes
 * nothing); a later row wins over an earlier one for the same creator, post or snapshot. The
 * facts of every post written are stored again, in the same transaction.
 */
export async function importRows(
  store: Store,
  workspaceSlug: string,
  rows: AsyncIterable<ImportRow> | Iterable<ImportRow>,
  options: ImportRowsOptions = {},
): Promise<RowsWritten> {
  const chunks = stagedChunksOf(rows, options.chunkRows);
  if (store.pool) return importOverCopy(store.pool, workspaceSlug, chunks, options);
  const embedded = store.embedded;
  if (!embedded) throw new Error(`Import: no way to write to a ${store.kind} store`);
  const { written, outgrewStatistics } = await inEmbeddedTransaction(embedded, async (tx) => {
    const written = await importInTransaction(tx, workspaceSlug, chunks, options, (chunk) =>
      tx.copyFrom(`${COPY_INTO_STAGING} FROM '/dev/blob'`, chunk.copyText),
    );
    return { written, outgrewStatistics: await outgrowsStatistics(tx, written) };
  });
  if (outgrewStatistics)
    await refreshStatistics(() => embedded.call("exec", { script: ANALYZE_READ_TABLES }));
  return written;
}

/** The import on one pooled connection of its own: BEGIN, COPY and the merge, COMMIT. */
async function importOverCopy(
  pool: pg.Pool,
  workspaceSlug: string,
  chunks: AsyncIterable<StagedChunk>,
  options: ImportRowsOptions,
): Promise<RowsWritten> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const db = sqlOverPg(client);
    const written = await importInTransaction(db, workspaceSlug, chunks, options, (chunk) =>
      stageByCopy(client, chunk),
    );
    const outgrewStatistics = await outgrowsStatistics(db, written);
    await client.query("COMMIT");
    if (outgrewStatistics) await refreshStatistics(() => client.query(ANALYZE_READ_TABLES));
    client.release();
    return written;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    // A connection an aborted COPY ran on is not handed out again.
    client.release(true);
    throw error;
  }
}

/** The tables answers read, which an import writes to. */
const ANALYZE_READ_TABLES =
  "ANALYZE creator, campaign, post, post_fact, snapshot_gain, creator_day_gain, creator_fact_sum, tier_median";

/**
 * Whether this import changes the store by more than autovacuum's rule for new planner
 * statistics (10 % of a table's rows), measured on the snapshots: their gains are the largest
 * table answers read. A store never analyzed (a new one) always has outdated statistics.
 * Until they are renewed, answers are planned as for empty tables and read whole indexes
 * (`/creator` on the benchmark data: 4.5 ms against 2.4 ms in the database). PGlite runs no
 * autovacuum at all, and PostgreSQL's comes up to a minute later.
 */
async function outgrowsStatistics(db: SqlRunner, written: RowsWritten): Promise<boolean> {
  if (written.snapshots === 0 && written.posts === 0) return false;
  const [gains] = await db.$queryRaw<{ counted: number }[]>`
    SELECT reltuples::float8 AS counted FROM pg_class WHERE oid = 'snapshot_gain'::regclass`;
  const counted = gains?.counted ?? -1;
  return counted < 0 || written.snapshots > 0.1 * counted;
}

/** Renews the planner's statistics after a committed import; a failure only loses speed, so it is logged. */
async function refreshStatistics(analyze: () => Promise<unknown>): Promise<void> {
  try {
    await analyze();
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "planner statistics were not renewed after an import");
  }
}

/** Writes a chunk into the staging table. */
type StageChunk = (chunk: StagedChunk) => Promise<unknown>;

/** Everything an import does inside its transaction, staging each chunk with `stage`. */
async function importInTransaction(
  db: SqlRunner,
  workspaceSlug: string,
  chunks: AsyncIterable<StagedChunk>,
  options: ImportRowsOptions,
  stage: StageChunk,
): Promise<RowsWritten> {
  if (options.replaceWorkspace) await db.$executeRaw`DELETE FROM workspace WHERE slug = ${workspaceSlug}`;
  const workspaceId = await upsertWorkspace(db, workspaceSlug);
  await createStagingTables(db);
  let rowsStaged = 0;
  let unsettled: number[] = [];
  const mayHaveFallen: number[] = [];
  for await (const chunk of readingAhead(chunks)) {
    await stage(chunk);
    rowsStaged += chunk.rows;
    await mergeStagedRows(db, workspaceId);
    const posts = await stagedPosts(db, workspaceId);
    const settled = unsettled.filter((id) => !posts.named.has(id));
    mayHaveFallen.push(...(await refreshPostFacts(db, settled)));
    unsettled = posts.withoutFacts;
    await db.$executeRaw`TRUNCATE import_row, import_group`;
  }
  const written = await countRowsWrittenByThisTransaction(db, workspaceId);
  mayHaveFallen.push(...(await refreshMissingPostFacts(db, workspaceId)));
  const counterFalls = await queryCounterFalls(db, [...new Set(mayHaveFallen)], KEPT_FALLS);
  return { rows: rowsStaged, ...written, counterFalls };
}

/**
 * The posts the staged rows name, and those of them without stored facts now. The facts of a
 * post that the next chunk does not name are stored right after that chunk, while the database
 * would otherwise wait for the one after it to be read: in a file ordered by post, nearly every
 * post's. A later write to a post makes the database forget its facts again, and every post
 * without facts gets them after the last chunk; in a file ordered by time, every chunk names
 * every post, so none is stored twice.
 */
async function stagedPosts(
  db: SqlRunner,
  workspaceId: number,
): Promise<{ named: Set<number>; withoutFacts: number[] }> {
  const rows = await db.$queryRaw<{ id: number; withoutFacts: boolean }[]>`
    SELECT DISTINCT p.id, pf.post_id IS NULL AS "withoutFacts"
    FROM import_group g
    JOIN post p ON p.workspace_id = ${workspaceId} AND p.platform = g.platform AND p.external_id = g.post_id
    LEFT JOIN post_fact pf ON pf.post_id = p.id`;
  return {
    named: new Set(rows.map((row) => row.id)),
    withoutFacts: rows.filter((row) => row.withoutFacts).map((row) => row.id),
  };
}

/**
 * Reads the next item while the consumer works on the current one: reading a file is work for
 * this process, writing a batch is mostly waiting for the database, so the two overlap.
 */
async function* readingAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    let next = iterator.next();
    while (true) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      // Awaited on the next round; this only keeps a failure from counting as unhandled meanwhile.
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}

async function upsertWorkspace(db: SqlRunner, slug: string): Promise<number> {
  await db.$executeRaw`INSERT INTO workspace (slug, name) VALUES (${slug}, ${slug}) ON CONFLICT (slug) DO NOTHING`;
  const [workspace] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM workspace WHERE slug = ${slug}`;
  if (!workspace) throw new Error(`Import: workspace ${JSON.stringify(slug)} was not created`);
  return workspace.id;
}

const COUNTER_COLUMNS = Prisma.raw(COUNTERS.join(", "));

/**
 * The staging tables, gone when the transaction ends: `import_row`, the file's rows as they were
 * read (`seq`: their order), and `import_group`, the last row (and the last with a fee) of each
 * post, creator and campaign named together in a chunk.
 */
async function createStagingTables(db: SqlRunner): Promise<void> {
  await db.$executeRaw`CREATE TEMP TABLE import_row (${Prisma.raw(STAGING_TABLE_COLUMNS)}) ON COMMIT DROP`;
  await db.$executeRaw`CREATE TEMP TABLE import_group (platform text NOT NULL, post_id text NOT NULL,
    creator text NOT NULL, campaign text, last_seq int8 NOT NULL, fee_seq int8) ON COMMIT DROP`;
  await db.$executeRaw`SET LOCAL work_mem = '256MB'`;
}

/** A chunk in one COPY FROM STDIN, in text format. */
async function stageByCopy(client: pg.ClientBase, chunk: StagedChunk): Promise<void> {
  const copy = client.query(copyFrom(`${COPY_INTO_STAGING} FROM STDIN`));
  await pipeline(Readable.from([chunk.copyText]), copy);
}

/**
 * Creators, campaigns, posts, then snapshots, each one set-based statement over the staged rows.
 * The later row wins; a row without campaign or fee leaves the one a row before it (or the
 * stored post) has. Rows that would not change are not written. One pass groups the rows by post
 * and creator (`import_group`), and the creators, campaigns and posts are read from those groups
 * and from the rows they name by `seq`; only the snapshots read every row again.
 */
async function mergeStagedRows(db: SqlRunner, workspaceId: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO import_group (platform, post_id, creator, campaign, last_seq, fee_seq)
    SELECT platform, post_id, creator, campaign, max(seq), max(seq) FILTER (WHERE fee IS NOT NULL)
    FROM import_row GROUP BY platform, post_id, creator, campaign`;
  await db.$executeRaw`
    INSERT INTO creator (workspace_id, platform, handle, followers)
    SELECT ${workspaceId}, r.platform, r.creator, r.followers
    FROM (SELECT max(last_seq) AS seq FROM import_group GROUP BY platform, creator) last
    JOIN import_row r ON r.seq = last.seq
    ORDER BY r.platform, r.creator
    ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET followers = EXCLUDED.followers
      WHERE creator.followers IS DISTINCT FROM EXCLUDED.followers`;
  await db.$executeRaw`
    INSERT INTO campaign (workspace_id, name)
    SELECT DISTINCT ${workspaceId}::int, campaign FROM import_group WHERE campaign IS NOT NULL
    ON CONFLICT (workspace_id, name) DO NOTHING`;
  await mergePosts(db, workspaceId);
  await mergeSnapshots(db, workspaceId);
}

async function mergePosts(db: SqlRunner, workspaceId: number): Promise<void> {
  await db.$executeRaw`
    WITH last AS MATERIALIZED (
      SELECT l.platform, l.post_id, r.creator, r.published_at, rc.campaign, rf.fee
      FROM (
        SELECT platform, post_id, max(last_seq) AS last_seq,
          max(last_seq) FILTER (WHERE campaign IS NOT NULL) AS campaign_seq, max(fee_seq) AS fee_seq
        FROM import_group GROUP BY platform, post_id
      ) l
      JOIN import_row r ON r.seq = l.last_seq
      LEFT JOIN import_row rc ON rc.seq = l.campaign_seq
      LEFT JOIN import_row rf ON rf.seq = l.fee_seq
    )
    INSERT INTO post (workspace_id, creator_id, campaign_id, platform, external_id, published_at, fee)
    SELECT ${workspaceId}, c.id, coalesce(cp.id, stored.campaign_id), l.platform, l.post_id, l.published_at,
      coalesce(l.fee, stored.fee, 0)
    FROM last l
    JOIN creator c ON c.workspace_id = ${workspaceId} AND c.platform = l.platform AND c.handle = l.creator
    LEFT JOIN campaign cp ON cp.workspace_id = ${workspaceId} AND cp.name = l.campaign
    LEFT JOIN post stored ON stored.workspace_id = ${workspaceId} AND stored.platform = l.platform
      AND stored.external_id = l.post_id
    ORDER BY l.platform, l.post_id
    ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET
      creator_id = EXCLUDED.creator_id, campaign_id = EXCLUDED.campaign_id,
      published_at = EXCLUDED.published_at, fee = EXCLUDED.fee
      WHERE (post.creator_id, post.campaign_id, post.published_at, post.fee)
        IS DISTINCT FROM (EXCLUDED.creator_id, EXCLUDED.campaign_id, EXCLUDED.published_at, EXCLUDED.fee)`;
}

async function mergeSnapshots(db: SqlRunner, workspaceId: number): Promise<void> {
  const counters = Prisma.raw(COUNTERS.map((counter) => `r.${counter}`).join(", "));
  const updates = Prisma.raw(COUNTERS.map((counter) => `${counter} = EXCLUDED.${counter}`).join(", "));
  const stored = Prisma.raw(COUNTERS.map((counter) => `metric_snapshot.${counter}`).join(", "));
  const excluded = Prisma.raw(COUNTERS.map((counter) => `EXCLUDED.${counter}`).join(", "));
  await db.$executeRaw`
    INSERT INTO metric_snapshot (post_id, captured_at, ${COUNTER_COLUMNS})
    SELECT DISTINCT ON (p.id, r.captured_at) p.id, r.captured_at, ${counters}
    FROM import_row r
    JOIN post p ON p.workspace_id = ${workspaceId} AND p.platform = r.platform AND p.external_id = r.post_id
    ORDER BY p.id, r.captured_at, r.seq DESC
    ON CONFLICT (post_id, captured_at) DO UPDATE SET ${updates}
      WHERE (${stored}) IS DISTINCT FROM (${excluded})`;
}

/**
 * Counts what this import inserted or updated without remembering ids: a row version's xmin
 * is the id of the transaction that wrote it, so these are exactly the rows written here.
 */
async function countRowsWrittenByThisTransaction(
  db: SqlRunner,
  workspaceId: number,
): Promise<Omit<RowsWritten, "rows" | "counterFalls">> {
  const [counts] = await db.$queryRaw<Record<keyof Omit<RowsWritten, "rows" | "counterFalls">, bigint>[]>`
    WITH this_transaction AS (SELECT pg_current_xact_id()::xid AS xid)
    SELECT
      (SELECT count(*) FROM creator, this_transaction t WHERE workspace_id = ${workspaceId} AND xmin = t.xid) AS creators,
      (SELECT count(*) FROM campaign, this_transaction t WHERE workspace_id = ${workspaceId} AND xmin = t.xid) AS campaigns,
      (SELECT count(*) FROM post, this_transaction t WHERE workspace_id = ${workspaceId} AND xmin = t.xid) AS posts,
      (SELECT count(*) FROM metric_snapshot s JOIN post p ON p.id = s.post_id, this_transaction t
        WHERE p.workspace_id = ${workspaceId} AND s.xmin = t.xid) AS snapshots`;
  return {
    creators: Number(counts?.creators ?? 0),
    campaigns: Number(counts?.campaigns ?? 0),
    posts: Number(counts?.posts ?? 0),
    snapshots: Number(counts?.snapshots ?? 0),
  };
}
