import { Prisma } from "../generated/prisma/client.ts";
import type { SqlRunner } from "./sqlRunner.ts";

/**
 * Posts tracked by their link (table tracked_post) and what their collection writes. A row is
 * claimed for collection under a lease (FOR UPDATE SKIP LOCKED, as the delivery outbox does), so
 * replicas share the work and one replica collects a post once per slot; every settle checks the
 * lease is still this replica's.
 */

export type TrackedState = "active" | "stopped";

export interface NewTrackedPost {
  workspaceId: number;
  platform: string;
  externalId: string;
  url: string;
  campaignId: number | null;
  fee: number | null;
  handle: string | null;
  createdBy: string | null;
}

/**
 * Adds the post, or (tracked already) sets the campaign and fee given and restarts a stopped one.
 * Either way it is due at `now`. Returns the state it had before: null when it is new.
 */
export async function trackPost(
  db: SqlRunner,
  post: NewTrackedPost,
  now: Date,
): Promise<{ id: number; before: TrackedState | null }> {
  const [row] = await db.$queryRaw<{ id: number; before: TrackedState | null }[]>`
    WITH before AS (
      SELECT state FROM tracked_post
      WHERE workspace_id = ${post.workspaceId} AND platform = ${post.platform} AND external_id = ${post.externalId}
    )
    INSERT INTO tracked_post (workspace_id, platform, external_id, url, campaign_id, fee, creator_handle,
      next_collection_at, created_by)
    VALUES (${post.workspaceId}, ${post.platform}, ${post.externalId}, ${post.url}, ${post.campaignId},
      ${post.fee}, ${post.handle}, ${now}, ${post.createdBy})
    ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET
      campaign_id = coalesce(EXCLUDED.campaign_id, tracked_post.campaign_id),
      fee = coalesce(EXCLUDED.fee, tracked_post.fee),
      creator_handle = coalesce(tracked_post.creator_handle, EXCLUDED.creator_handle),
      next_collection_at = CASE WHEN tracked_post.state = 'stopped' THEN EXCLUDED.next_collection_at
        ELSE least(tracked_post.next_collection_at, EXCLUDED.next_collection_at) END,
      state = 'active', stop_reason = NULL, attempts = 0
    RETURNING id, (SELECT state FROM before) AS before`;
  if (!row) throw new Error("tracked_post: the upsert returned no row");
  return row;
}

/** Stops tracking; the post and its snapshots stay. False when it was not tracked. */
export async function untrackPost(
  db: SqlRunner,
  workspaceId: number,
  platform: string,
  externalId: string,
): Promise<boolean> {
  const deleted = await db.$executeRaw`
    DELETE FROM tracked_post
    WHERE workspace_id = ${workspaceId} AND platform = ${platform} AND external_id = ${externalId}`;
  return deleted > 0;
}

/** The campaign of that name in the workspace, created when missing (as an import does). */
export async function campaignIdFor(db: SqlRunner, workspaceId: number, name: string): Promise<number> {
  await db.$executeRaw`INSERT INTO campaign (workspace_id, name) VALUES (${workspaceId}, ${name})
    ON CONFLICT (workspace_id, name) DO NOTHING`;
  const [row] = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM campaign WHERE workspace_id = ${workspaceId} AND name = ${name}`;
  if (!row) throw new Error("campaign: the upsert returned no row");
  return row.id;
}

export interface CollectionPair {
  workspaceId: number;
  platform: string;
}

/** The workspaces and platforms with a post due and not claimed by anyone. */
export async function duePairs(db: SqlRunner, now: Date): Promise<CollectionPair[]> {
  return db.$queryRaw<CollectionPair[]>`
    SELECT DISTINCT workspace_id AS "workspaceId", platform FROM tracked_post
    WHERE state = 'active' AND next_collection_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
    ORDER BY 1, 2`;
}

/** A post claimed for collection by one replica. */
export interface ClaimedPost extends Omit<NewTrackedPost, "createdBy"> {
  id: number;
  /** This claim included. */
  attempts: number;
}

export interface ClaimRequest extends CollectionPair {
  owner: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /** Only this post (tracking collects it at once). */
  onlyId?: number;
}

/** Claims up to `limit` due posts of one workspace and platform for `owner`, soonest due first. */
export async function claimDuePosts(db: SqlRunner, claim: ClaimRequest): Promise<ClaimedPost[]> {
  const only = claim.onlyId === undefined ? Prisma.empty : Prisma.sql`AND id = ${claim.onlyId}`;
  const rows = await db.$queryRaw<(Omit<ClaimedPost, "fee"> & { fee: Prisma.Decimal | null })[]>`
    UPDATE tracked_post SET lease_owner = ${claim.owner},
      lease_until = ${claim.now}::timestamptz + ${claim.leaseMs} * interval '1 millisecond',
      attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM tracked_post
      WHERE workspace_id = ${claim.workspaceId} AND platform = ${claim.platform} AND state = 'active'
        AND next_collection_at <= ${claim.now} AND (lease_until IS NULL OR lease_until < ${claim.now}) ${only}
      ORDER BY next_collection_at, id
      LIMIT ${claim.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, workspace_id AS "workspaceId", platform, external_id AS "externalId", url,
      campaign_id AS "campaignId", fee, creator_handle AS handle, attempts`;
  return rows.map((row) => ({ ...row, fee: row.fee === null ? null : Number(row.fee) }));
}

/** A post as its platform reported it: the snapshot's counters (null where not given). */
export interface CollectedSnapshot {
  claim: ClaimedPost;
  publishedAt: Date;
  handle: string;
  followers: number | null;
  counters: Record<
    "views" | "likes" | "comments" | "shares" | "saves" | "impressions" | "reach",
    number | null
  >;
}

/**
 * Writes one collection's posts and snapshots as an import would (same post key: workspace,
 * platform, external id). A post already stored keeps its creator (an import may name them
 * differently than the platform's handle); that creator's followers are updated when given.
 * Returns the number of snapshots written.
 */
export async function writeSnapshots(
  db: SqlRunner,
  workspaceId: number,
  collected: readonly CollectedSnapshot[],
  capturedAt: Date,
): Promise<number> {
  let written = 0;
  for (const post of collected) {
    const postId = await upsertPost(db, workspaceId, post);
    const { views, likes, comments, shares, saves, impressions, reach } = post.counters;
    written += await db.$executeRaw`
      INSERT INTO metric_snapshot (post_id, captured_at, views, likes, comments, shares, saves, impressions, reach)
      VALUES (${postId}, ${capturedAt}, ${views}, ${likes}, ${comments}, ${shares}, ${saves}, ${impressions}, ${reach})
      ON CONFLICT (post_id, captured_at) DO NOTHING`;
  }
  return written;
}

async function upsertPost(db: SqlRunner, workspaceId: number, post: CollectedSnapshot): Promise<number> {
  const { claim } = post;
  const [stored] = await db.$queryRaw<{ id: number; creatorId: number }[]>`
    SELECT id, creator_id AS "creatorId" FROM post
    WHERE workspace_id = ${workspaceId} AND platform = ${claim.platform} AND external_id = ${claim.externalId}`;
  if (stored) {
    await db.$executeRaw`UPDATE creator SET followers = ${post.followers}
      WHERE id = ${stored.creatorId} AND ${post.followers}::int IS NOT NULL AND followers <> ${post.followers}`;
    await db.$executeRaw`UPDATE post SET published_at = ${post.publishedAt},
        campaign_id = coalesce(${claim.campaignId}::int, campaign_id), fee = coalesce(${claim.fee}::numeric, fee),
        url = coalesce(url, ${claim.url})
      WHERE id = ${stored.id} AND (published_at, campaign_id, fee, url) IS DISTINCT FROM
        (${post.publishedAt}::timestamptz, coalesce(${claim.campaignId}::int, campaign_id),
         coalesce(${claim.fee}::numeric, fee), coalesce(url, ${claim.url}))`;
    return stored.id;
  }
  // A creator whose platform hides the follower count starts at 0 (the column takes no blank).
  await db.$executeRaw`
    INSERT INTO creator (workspace_id, platform, handle, followers)
    VALUES (${workspaceId}, ${claim.platform}, ${post.handle}, coalesce(${post.followers}::int, 0))
    ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET followers = EXCLUDED.followers
      WHERE ${post.followers}::int IS NOT NULL AND creator.followers <> EXCLUDED.followers`;
  const [row] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO post (workspace_id, creator_id, campaign_id, platform, external_id, published_at, fee, url)
    SELECT ${workspaceId}, c.id, ${claim.campaignId}, ${claim.platform}, ${claim.externalId}, ${post.publishedAt},
      coalesce(${claim.fee}::numeric, 0), ${claim.url}
    FROM creator c WHERE c.workspace_id = ${workspaceId} AND c.platform = ${claim.platform} AND c.handle = ${post.handle}
    RETURNING id`;
  if (!row) throw new Error("post: the insert returned no row");
  return row.id;
}

/** After a good collection: when it was published, whose it is, and when it is due next (null: done). */
export async function settleCollected(
  db: SqlRunner,
  id: number,
  owner: string,
  outcome: { publishedAt: Date; handle: string; at: Date; next: Date | null; finished: string },
): Promise<boolean> {
  const next =
    outcome.next === null
      ? Prisma.sql`state = 'stopped', stop_reason = ${outcome.finished}`
      : Prisma.sql`next_collection_at = ${outcome.next}`;
  const updated = await db.$executeRaw`
    UPDATE tracked_post SET ${next}, published_at = ${outcome.publishedAt}, creator_handle = ${outcome.handle},
      last_collected_at = ${outcome.at}, attempts = 0, last_error = NULL, lease_owner = NULL, lease_until = NULL
    WHERE id = ${id} AND lease_owner = ${owner}`;
  return updated > 0;
}

/** Stops a claimed post for good: the reason is what `tracked` shows. */
export async function stopClaimed(
  db: SqlRunner,
  id: number,
  owner: string,
  reason: string,
): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE tracked_post SET state = 'stopped', stop_reason = ${reason}, lease_owner = NULL, lease_until = NULL
    WHERE id = ${id} AND lease_owner = ${owner}`;
  return updated > 0;
}

/**
 * Gives claimed posts back, due again at `at`, with the error that kept them. `counted` false
 * takes the claim off their attempts (the platform asked to wait; nothing is wrong with them).
 */
export async function releaseClaimed(
  db: SqlRunner,
  ids: readonly number[],
  owner: string,
  retry: { at: Date; error: string | null; counted: boolean },
): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE tracked_post SET next_collection_at = ${retry.at}, last_error = ${retry.error},
      attempts = attempts - ${retry.counted ? 0 : 1}, lease_owner = NULL, lease_until = NULL
    WHERE id = ANY(${ids}::int[]) AND lease_owner = ${owner}`;
}

/**
 * Holds back every unclaimed post of a workspace and platform due before `until` (the platform's
 * quota or rate limit, or a credential that failed): none is tried before then.
 */
export async function holdPair(
  db: SqlRunner,
  pair: CollectionPair,
  now: Date,
  hold: { until: Date; error: string },
): Promise<void> {
  await db.$executeRaw`
    UPDATE tracked_post SET next_collection_at = ${hold.until}, last_error = ${hold.error}
    WHERE workspace_id = ${pair.workspaceId} AND platform = ${pair.platform} AND state = 'active'
      AND next_collection_at < ${hold.until} AND (lease_until IS NULL OR lease_until < ${now})`;
}

export interface TrackedPostRow {
  platform: string;
  url: string;
  handle: string | null;
  campaign: string | null;
  state: TrackedState;
  stopReason: string | null;
  lastError: string | null;
  publishedAt: Date | null;
  lastCollectedAt: Date | null;
  nextCollectionAt: Date;
  snapshots: number;
}

/** The workspace's tracked posts (of one campaign, when given), newest tracked first. */
export async function listTrackedPosts(
  db: SqlRunner,
  workspaceId: number,
  campaignId?: number,
): Promise<TrackedPostRow[]> {
  const campaign = campaignId === undefined ? Prisma.empty : Prisma.sql`AND t.campaign_id = ${campaignId}`;
  const rows = await db.$queryRaw<(Omit<TrackedPostRow, "snapshots"> & { snapshots: bigint })[]>`
    SELECT t.platform, t.url, t.creator_handle AS handle, c.name AS campaign, t.state, t.stop_reason AS "stopReason",
      t.last_error AS "lastError", t.published_at AS "publishedAt", t.last_collected_at AS "lastCollectedAt",
      t.next_collection_at AS "nextCollectionAt",
      (SELECT count(*) FROM post p JOIN metric_snapshot s ON s.post_id = p.id
        WHERE p.workspace_id = t.workspace_id AND p.platform = t.platform AND p.external_id = t.external_id) AS snapshots
    FROM tracked_post t LEFT JOIN campaign c ON c.id = t.campaign_id
    WHERE t.workspace_id = ${workspaceId} ${campaign}
    ORDER BY t.created_at DESC, t.id DESC`;
  return rows.map((row) => ({ ...row, snapshots: Number(row.snapshots) }));
}
