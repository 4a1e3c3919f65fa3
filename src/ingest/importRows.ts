import { Prisma } from "../generated/prisma/client.ts";
import { COUNTERS } from "../metrics/types.ts";
import type { Store } from "../store/database.ts";
import { type CounterFalls, queryCounterFalls, refreshMissingPostFacts } from "../store/postFacts.ts";
import { postgresArray } from "./postgresArray.ts";
import type { ImportRow } from "./row.ts";

type Transaction = Prisma.TransactionClient;

/** How many rows each set-based statement carries: big enough to be fast, small enough to stay flat. */
const BATCH_SIZE = 2_000;

/** How many counter falls an import spells out; the rest are only counted. */
const KEPT_FALLS = 20;

/** One import is one transaction, however long the file; a large file may take many minutes. */
const TRANSACTION_TIMEOUT_MS = 60 * 60_000;
const TRANSACTION_MAX_WAIT_MS = 30_000;

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
}

/**
 * Writes already-valid rows into the workspace (created when missing), all in one transaction:
 * either every row is stored or none is, and an error thrown by `rows` rolls back as well.
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
  return store.prisma.$transaction(
    async (tx) => {
      if (options.replaceWorkspace) await tx.workspace.deleteMany({ where: { slug: workspaceSlug } });
      const workspaceId = await upsertWorkspace(tx, workspaceSlug);
      let rowsWritten = 0;
      for await (const batch of readingAhead(batchesOf(rows, BATCH_SIZE))) {
        await writeBatch(tx, workspaceId, batch);
        rowsWritten += batch.length;
      }
      const written = await countRowsWrittenByThisTransaction(tx, workspaceId);
      const touchedPosts = await refreshMissingPostFacts(tx, workspaceId);
      const counterFalls = await queryCounterFalls(tx, touchedPosts, KEPT_FALLS);
      return { rows: rowsWritten, ...written, counterFalls };
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_MAX_WAIT_MS },
  );
}

async function* batchesOf<T>(items: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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

async function upsertWorkspace(tx: Transaction, slug: string): Promise<number> {
  const workspace = await tx.workspace.upsert({
    where: { slug },
    create: { slug, name: slug },
    update: {},
    select: { id: true },
  });
  return workspace.id;
}

async function writeBatch(tx: Transaction, workspaceId: number, batch: readonly ImportRow[]): Promise<void> {
  const creatorIds = await upsertCreators(tx, workspaceId, batch);
  const campaignIds = await upsertCampaigns(tx, workspaceId, batch);
  const postIds = await upsertPosts(tx, workspaceId, batch, creatorIds, campaignIds);
  await upsertSnapshots(tx, batch, postIds);
}

function creatorKey(platform: string, handle: string): string {
  return `${platform}\u0000${handle}`;
}

function postKey(platform: string, externalId: string): string {
  return `${platform}\u0000${externalId}`;
}

/**
 * ON CONFLICT DO UPDATE may not touch one row twice in a statement, so every upsert gets one
 * entry per key; the later row of the batch wins.
 */
function lastPerKey<T>(batch: readonly ImportRow[], keyOf: (row: ImportRow) => string, merge: MergeRow<T>) {
  const byKey = new Map<string, T>();
  for (const row of batch) {
    const key = keyOf(row);
    byKey.set(key, merge(row, byKey.get(key)));
  }
  return [...byKey.values()];
}
type MergeRow<T> = (row: ImportRow, earlier: T | undefined) => T;

async function upsertCreators(tx: Transaction, workspaceId: number, batch: readonly ImportRow[]) {
  const creators = lastPerKey(
    batch,
    (row) => creatorKey(row.platform, row.creator),
    (row) => row,
  );
  const returned = await tx.$queryRaw<{ id: number; platform: string; handle: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(${postgresArray(creators.map((row) => row.platform))}::text[],
        ${postgresArray(creators.map((row) => row.creator))}::text[],
        ${postgresArray(creators.map((row) => row.followers))}::int4[]) AS input(platform, handle, followers)
    ),
    written AS (
      INSERT INTO creator (workspace_id, platform, handle, followers)
      SELECT ${workspaceId}, platform, handle, followers FROM input
      ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET followers = EXCLUDED.followers
        WHERE creator.followers IS DISTINCT FROM EXCLUDED.followers
      RETURNING id, platform, handle
    )
    ${alsoUnchanged(
      Prisma.sql`SELECT c.id, c.platform, c.handle FROM creator c JOIN input i
      ON c.workspace_id = ${workspaceId} AND c.platform = i.platform AND c.handle = i.handle`,
      "c",
    )}`;
  return new Map(returned.map((creator) => [creatorKey(creator.platform, creator.handle), creator.id]));
}

/**
 * The rows `written` returned, then the rows of `existing` it did not write. A statement's
 * queries see the tables as they were before it, so rows `written` inserted are only in
 * `written`, and unchanged rows only in `existing`.
 */
function alsoUnchanged(existing: Prisma.Sql, alias: string): Prisma.Sql {
  return Prisma.sql`SELECT * FROM written UNION ALL
    (${existing} WHERE NOT EXISTS (SELECT 1 FROM written w WHERE w.id = ${Prisma.raw(alias)}.id))`;
}

async function upsertCampaigns(tx: Transaction, workspaceId: number, batch: readonly ImportRow[]) {
  const names = [...new Set(batch.flatMap((row) => (row.campaign === null ? [] : [row.campaign])))];
  if (names.length === 0) return new Map<string, number>();
  const returned = await tx.$queryRaw<{ id: number; name: string }[]>`
    WITH input AS (SELECT * FROM unnest(${postgresArray(names)}::text[]) AS input(name)),
    written AS (
      INSERT INTO campaign (workspace_id, name) SELECT ${workspaceId}, name FROM input
      ON CONFLICT (workspace_id, name) DO NOTHING
      RETURNING id, name
    )
    ${alsoUnchanged(
      Prisma.sql`SELECT c.id, c.name FROM campaign c JOIN input i
      ON c.workspace_id = ${workspaceId} AND c.name = i.name`,
      "c",
    )}`;
  return new Map(returned.map((campaign) => [campaign.name, campaign.id]));
}

interface PostDraft {
  platform: string;
  externalId: string;
  creatorKey: string;
  campaign: string | null;
  publishedAt: Date;
  fee: number | null;
}

/** A blank campaign or fee leaves the value an earlier row (or the stored post) has. */
function mergePost(row: ImportRow, earlier: PostDraft | undefined): PostDraft {
  return {
    platform: row.platform,
    externalId: row.postId,
    creatorKey: creatorKey(row.platform, row.creator),
    campaign: row.campaign ?? earlier?.campaign ?? null,
    publishedAt: row.publishedAt,
    fee: row.fee ?? earlier?.fee ?? null,
  };
}

async function upsertPosts(
  tx: Transaction,
  workspaceId: number,
  batch: readonly ImportRow[],
  creatorIds: ReadonlyMap<string, number>,
  campaignIds: ReadonlyMap<string, number>,
) {
  const posts = lastPerKey(batch, (row) => postKey(row.platform, row.postId), mergePost);
  const returned = await tx.$queryRaw<{ id: number; platform: string; external_id: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${postgresArray(posts.map((post) => idOf(creatorIds, post.creatorKey)))}::int4[],
        ${postgresArray(posts.map((post) => (post.campaign === null ? null : idOf(campaignIds, post.campaign))))}::int4[],
        ${postgresArray(posts.map((post) => post.platform))}::text[],
        ${postgresArray(posts.map((post) => post.externalId))}::text[],
        ${postgresArray(posts.map((post) => post.publishedAt.toISOString()))}::timestamptz[],
        ${postgresArray(posts.map((post) => post.fee))}::numeric[]
      ) AS input(creator_id, campaign_id, platform, external_id, published_at, fee)
    ),
    written AS (
      INSERT INTO post (workspace_id, creator_id, campaign_id, platform, external_id, published_at, fee)
      SELECT ${workspaceId}, input.creator_id, COALESCE(input.campaign_id, stored.campaign_id), input.platform,
             input.external_id, input.published_at, COALESCE(input.fee, stored.fee, 0)
      FROM input
      LEFT JOIN post stored ON stored.workspace_id = ${workspaceId} AND stored.platform = input.platform
                           AND stored.external_id = input.external_id
      ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET
        creator_id = EXCLUDED.creator_id, campaign_id = EXCLUDED.campaign_id,
        published_at = EXCLUDED.published_at, fee = EXCLUDED.fee
        WHERE (post.creator_id, post.campaign_id, post.published_at, post.fee)
          IS DISTINCT FROM (EXCLUDED.creator_id, EXCLUDED.campaign_id, EXCLUDED.published_at, EXCLUDED.fee)
      RETURNING id, platform, external_id
    )
    ${alsoUnchanged(
      Prisma.sql`SELECT p.id, p.platform, p.external_id FROM post p JOIN input i
      ON p.workspace_id = ${workspaceId} AND p.platform = i.platform AND p.external_id = i.external_id`,
      "p",
    )}`;
  return new Map(returned.map((post) => [postKey(post.platform, post.external_id), post.id]));
}

async function upsertSnapshots(
  tx: Transaction,
  batch: readonly ImportRow[],
  postIds: ReadonlyMap<string, number>,
) {
  const snapshots = lastPerKey(
    batch,
    (row) => `${postKey(row.platform, row.postId)}\u0000${row.capturedAt.getTime()}`,
    (row) => row,
  );
  const counterArrays = COUNTERS.map(
    (counter) =>
      Prisma.sql`${postgresArray(snapshots.map((row) => row[counter]))}::${Prisma.raw(counter === "revenue" ? "numeric" : "int8")}[]`,
  );
  const columns = Prisma.raw(COUNTERS.join(", "));
  const updates = Prisma.raw(COUNTERS.map((counter) => `${counter} = EXCLUDED.${counter}`).join(", "));
  const stored = Prisma.raw(COUNTERS.map((counter) => `metric_snapshot.${counter}`).join(", "));
  const excluded = Prisma.raw(COUNTERS.map((counter) => `EXCLUDED.${counter}`).join(", "));
  await tx.$executeRaw`
    INSERT INTO metric_snapshot (post_id, captured_at, ${columns})
    SELECT * FROM unnest(
      ${postgresArray(snapshots.map((row) => idOf(postIds, postKey(row.platform, row.postId))))}::int4[],
      ${postgresArray(snapshots.map((row) => row.capturedAt.toISOString()))}::timestamptz[],
      ${Prisma.join(counterArrays)})
    ON CONFLICT (post_id, captured_at) DO UPDATE SET ${updates}
      WHERE (${stored}) IS DISTINCT FROM (${excluded})`;
}

function idOf(ids: ReadonlyMap<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`Import: no id came back for ${JSON.stringify(key)}`);
  return id;
}

/**
 * Counts what this import inserted or updated without remembering ids: a row version's xmin
 * is the id of the transaction that wrote it, so these are exactly the rows written here.
 */
async function countRowsWrittenByThisTransaction(
  tx: Transaction,
  workspaceId: number,
): Promise<Omit<RowsWritten, "rows" | "counterFalls">> {
  const [counts] = await tx.$queryRaw<Record<keyof Omit<RowsWritten, "rows" | "counterFalls">, bigint>[]>`
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
