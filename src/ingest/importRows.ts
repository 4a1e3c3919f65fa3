import type { Prisma } from "../generated/prisma/client.ts";
import { COUNTERS } from "../metrics/types.ts";
import type { Store } from "../store/database.ts";
import { postgresArray } from "./postgresArray.ts";
import type { ImportRow } from "./row.ts";

type Transaction = Prisma.TransactionClient;

/** How many rows each set-based statement carries: big enough to be fast, small enough to stay flat. */
const BATCH_SIZE = 2_000;

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
}

export interface ImportRowsOptions {
  /** Delete the workspace and everything in it first (in the same transaction). */
  replaceWorkspace?: boolean;
}

/**
 * Writes already-valid rows into the workspace (created when missing), all in one transaction:
 * either every row is stored or none is, and an error thrown by `rows` rolls back as well.
 * Upserts are idempotent; a later row wins over an earlier one for the same creator, post or
 * snapshot.
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
      return { rows: rowsWritten, ...(await countRowsWrittenByThisTransaction(tx, workspaceId)) };
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
  const returned = await tx.$queryRawUnsafe<{ id: number; platform: string; handle: string }[]>(
    `INSERT INTO creator (workspace_id, platform, handle, followers)
     SELECT $1, input.platform, input.handle, input.followers
     FROM unnest($2::text[], $3::text[], $4::int4[]) AS input(platform, handle, followers)
     ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET followers = EXCLUDED.followers
     RETURNING id, platform, handle`,
    workspaceId,
    postgresArray(creators.map((row) => row.platform)),
    postgresArray(creators.map((row) => row.creator)),
    postgresArray(creators.map((row) => row.followers)),
  );
  return new Map(returned.map((creator) => [creatorKey(creator.platform, creator.handle), creator.id]));
}

async function upsertCampaigns(tx: Transaction, workspaceId: number, batch: readonly ImportRow[]) {
  const names = [...new Set(batch.flatMap((row) => (row.campaign === null ? [] : [row.campaign])))];
  if (names.length === 0) return new Map<string, number>();
  // The no-op update makes RETURNING report campaigns that already existed too.
  const returned = await tx.$queryRawUnsafe<{ id: number; name: string }[]>(
    `INSERT INTO campaign (workspace_id, name)
     SELECT $1, input.name FROM unnest($2::text[]) AS input(name)
     ON CONFLICT (workspace_id, name) DO UPDATE SET name = EXCLUDED.name
     RETURNING id, name`,
    workspaceId,
    postgresArray(names),
  );
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
  const returned = await tx.$queryRawUnsafe<{ id: number; platform: string; external_id: string }[]>(
    `INSERT INTO post (workspace_id, creator_id, campaign_id, platform, external_id, published_at, fee)
     SELECT $1, input.creator_id, COALESCE(input.campaign_id, stored.campaign_id), input.platform,
            input.external_id, input.published_at, COALESCE(input.fee, stored.fee, 0)
     FROM unnest($2::int4[], $3::int4[], $4::text[], $5::text[], $6::timestamptz[], $7::numeric[])
          AS input(creator_id, campaign_id, platform, external_id, published_at, fee)
     LEFT JOIN post stored ON stored.workspace_id = $1 AND stored.platform = input.platform
                          AND stored.external_id = input.external_id
     ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET
       creator_id = EXCLUDED.creator_id, campaign_id = EXCLUDED.campaign_id,
       published_at = EXCLUDED.published_at, fee = EXCLUDED.fee
     RETURNING id, platform, external_id`,
    workspaceId,
    postgresArray(posts.map((post) => idOf(creatorIds, post.creatorKey))),
    postgresArray(posts.map((post) => (post.campaign === null ? null : idOf(campaignIds, post.campaign)))),
    postgresArray(posts.map((post) => post.platform)),
    postgresArray(posts.map((post) => post.externalId)),
    postgresArray(posts.map((post) => post.publishedAt.toISOString())),
    postgresArray(posts.map((post) => post.fee)),
  );
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
  const counterArrays = COUNTERS.map((counter) => postgresArray(snapshots.map((row) => row[counter])));
  const counterCasts = COUNTERS.map(
    (counter, index) => `$${index + 3}::${counter === "revenue" ? "numeric" : "int8"}[]`,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO metric_snapshot (post_id, captured_at, ${COUNTERS.join(", ")})
     SELECT * FROM unnest($1::int4[], $2::timestamptz[], ${counterCasts.join(", ")})
     ON CONFLICT (post_id, captured_at) DO UPDATE SET
       ${COUNTERS.map((counter) => `${counter} = EXCLUDED.${counter}`).join(", ")}`,
    postgresArray(snapshots.map((row) => idOf(postIds, postKey(row.platform, row.postId)))),
    postgresArray(snapshots.map((row) => row.capturedAt.toISOString())),
    ...counterArrays,
  );
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
): Promise<Omit<RowsWritten, "rows">> {
  const [counts] = await tx.$queryRawUnsafe<Record<keyof Omit<RowsWritten, "rows">, bigint>[]>(
    `WITH this_transaction AS (SELECT pg_current_xact_id()::xid AS xid)
     SELECT
       (SELECT count(*) FROM creator, this_transaction t WHERE workspace_id = $1 AND xmin = t.xid) AS creators,
       (SELECT count(*) FROM campaign, this_transaction t WHERE workspace_id = $1 AND xmin = t.xid) AS campaigns,
       (SELECT count(*) FROM post, this_transaction t WHERE workspace_id = $1 AND xmin = t.xid) AS posts,
       (SELECT count(*) FROM metric_snapshot s JOIN post p ON p.id = s.post_id, this_transaction t
         WHERE p.workspace_id = $1 AND s.xmin = t.xid) AS snapshots`,
    workspaceId,
  );
  return {
    creators: Number(counts?.creators ?? 0),
    campaigns: Number(counts?.campaigns ?? 0),
    posts: Number(counts?.posts ?? 0),
    snapshots: Number(counts?.snapshots ?? 0),
  };
}
