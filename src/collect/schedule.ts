import { errorSummary, log } from "../log.ts";
import type { Store } from "../store/database.ts";
import { refreshMissingPostFacts } from "../store/postFacts.ts";
import type { SqlRunner } from "../store/sqlRunner.ts";
import {
  type ClaimedPost,
  type CollectedSnapshot,
  type CollectionPair,
  claimDuePosts,
  duePairs,
  holdPair,
  releaseClaimed,
  settleCollected,
  stopClaimed,
  writeSnapshots,
} from "../store/trackedPosts.ts";
import { CollectError, type Collected, type Collector, type CredentialSubject } from "./collector.ts";
import type { CollectedPlatform } from "./postLink.ts";

/**
 * When tracked posts are collected: hourly for the first 3 days after publishing, then daily to
 * day 60, then never again. A slot is a moment counted from publishing (publish + 5 h, publish +
 * 9 d); a post is collected once per slot, whenever the tick after that moment runs, and a slot
 * missed while no replica ran is not made up.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const HOURLY_UNTIL_MS = 3 * DAY;
export const COLLECTED_FOR_MS = 60 * DAY;
export const FINISHED = "finished: 60 days collected";
/** Refusals in a row after which a post stops (the platform keeps refusing it). */
const MAX_REFUSALS = 5;
/** A failed workspace credential is looked at again after this long (it may have been replaced). */
const CREDENTIAL_RECHECK_MS = HOUR;

/** The next slot strictly after `now`, or null when the post has had its 60 days. */
export function nextSlot(publishedAt: Date, now: Date): Date | null {
  const age = now.getTime() - publishedAt.getTime();
  const step = age < HOURLY_UNTIL_MS ? HOUR : age < COLLECTED_FOR_MS ? DAY : null;
  if (step === null) return null;
  return new Date(publishedAt.getTime() + (Math.floor(age / step) + 1) * step);
}

/** No Retry-After: wait 1, 2, 4 … minutes after each failure in a row, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(HOUR, MINUTE * 2 ** Math.max(0, attempts - 1));
}

/** Where collectors come from: the workspace's connected platforms (src/collect/connected.ts). */
export interface CollectorSource {
  /** Null when the workspace has not connected the platform (its posts wait until it does). */
  collectorFor(workspaceId: number, platform: CollectedPlatform): Promise<Collector | null>;
  /** A credential the platform refused: shown to the workspace with what to do. */
  credentialProblem(
    workspaceId: number,
    platform: CollectedPlatform,
    subject: CredentialSubject,
    problem: string,
  ): Promise<void>;
}

export interface CollectionDeps {
  store: Pick<Store, "prisma">;
  collectors: CollectorSource;
}

export interface CollectionOptions {
  owner: string;
  leaseMs: number;
  /** Most calls to one workspace's platform in one round, so a round always ends. */
  maxCallsPerPair: number;
}

export const DEFAULT_COLLECTION_OPTIONS: Omit<CollectionOptions, "owner"> = {
  leaseMs: 5 * MINUTE,
  maxCallsPerPair: 20,
};

export interface CollectionReport {
  snapshots: number;
  stopped: number;
  /** Posts given back to try again later (rate limit, quota, error). */
  deferred: number;
  /** Workspaces that got new snapshots: their alerts are evaluated after the round. */
  changedWorkspaces: number[];
}

/** What happened to one post in a call: the outcome `track` reports. */
export type PostOutcome =
  | { kind: "collected"; snapshot: CollectedSnapshot; next: Date | null }
  | { kind: "stopped"; reason: string }
  | { kind: "deferred"; until: Date; reason: string; cause: DeferCause };

/** Why a post waits: the platform's answer, or the platform asked to slow down. */
export type DeferCause = CollectError["kind"] | "paused";

/** One round: every due post of every workspace and platform, in batches per collector. */
export async function collectDue(
  deps: CollectionDeps,
  options: CollectionOptions,
  now: Date,
): Promise<CollectionReport> {
  const report: CollectionReport = { snapshots: 0, stopped: 0, deferred: 0, changedWorkspaces: [] };
  for (const pair of await duePairs(deps.store.prisma, now)) {
    const collector = await deps.collectors.collectorFor(
      pair.workspaceId,
      pair.platform as CollectedPlatform,
    );
    if (!collector) continue;
    let written = 0;
    for (let call = 0; call < options.maxCallsPerPair; call++) {
      const claimed = await claimDuePosts(deps.store.prisma, {
        ...pair,
        owner: options.owner,
        now,
        leaseMs: options.leaseMs,
        limit: collector.batchSize,
      });
      if (claimed.length === 0) break;
      const round = await collectClaimed(deps, collector, claimed, options.owner, now);
      written += round.snapshots;
      report.stopped += round.stopped;
      report.deferred += round.deferred;
      if (round.pairHeld) break;
    }
    report.snapshots += written;
    if (written > 0 && !report.changedWorkspaces.includes(pair.workspaceId))
      report.changedWorkspaces.push(pair.workspaceId);
  }
  return report;
}

/** Tracking collects at once: the one post, through the same path as the schedule. */
export async function collectNow(
  deps: CollectionDeps,
  collector: Collector,
  pair: CollectionPair,
  postId: number,
  owner: string,
  now: Date,
): Promise<PostOutcome | null> {
  const claimed = await claimDuePosts(deps.store.prisma, {
    ...pair,
    owner,
    now,
    leaseMs: DEFAULT_COLLECTION_OPTIONS.leaseMs,
    limit: 1,
    onlyId: postId,
  });
  if (claimed.length === 0) return null;
  const round = await collectClaimed(deps, collector, claimed, owner, now);
  return round.outcomes.get(postId) ?? null;
}

interface ClaimedRound {
  snapshots: number;
  stopped: number;
  deferred: number;
  /** The platform asked to wait (or its credential failed): nothing more of this pair this round. */
  pairHeld: boolean;
  outcomes: Map<number, PostOutcome>;
}

/** The claimed posts in one call per batch key; each post ends collected, stopped or deferred. */
async function collectClaimed(
  deps: CollectionDeps,
  collector: Collector,
  claimed: readonly ClaimedPost[],
  owner: string,
  now: Date,
): Promise<ClaimedRound> {
  const round: ClaimedRound = { snapshots: 0, stopped: 0, deferred: 0, pairHeld: false, outcomes: new Map() };
  for (const batch of batchesOf(collector, claimed)) {
    if (round.pairHeld) {
      await defer(deps.store.prisma, batch, owner, round, {
        at: now,
        error: null,
        counted: false,
        cause: "paused",
      });
      continue;
    }
    const refs = batch.map((post) => ({ postId: post.externalId, handle: post.handle }));
    // Only the platform call's failure is the platform's: a failure writing what it gave is ours.
    const collected = await collector.collect(refs).catch((error: unknown) => toCollectError(error));
    if (collected instanceof CollectError) {
      await settleFailure(deps, collector, batch, collected, owner, now, round);
    } else {
      await settleBatch(deps, collector, batch, collected, owner, now, round);
    }
  }
  return round;
}

async function settleBatch(
  deps: CollectionDeps,
  collector: Collector,
  batch: readonly ClaimedPost[],
  collected: Collected,
  owner: string,
  now: Date,
  round: ClaimedRound,
): Promise<void> {
  const db = deps.store.prisma;
  const workspaceId = batch[0]?.workspaceId as number;
  for (const problem of collected.credentialProblems) {
    await deps.collectors.credentialProblem(
      workspaceId,
      collector.platform,
      problem.subject,
      problem.problem,
    );
  }
  const byId = new Map(collected.posts.map((post) => [post.postId, post]));
  const snapshots: CollectedSnapshot[] = batch.flatMap((claim) => {
    const post = byId.get(claim.externalId);
    if (!post) return [];
    const { handle, followers } = post.creator;
    return [{ claim, publishedAt: post.publishedAt, handle, followers, counters: post.counters }];
  });
  if (snapshots.length > 0) {
    round.snapshots += await db.$transaction(async (tx) => {
      const written = await writeSnapshots(tx, workspaceId, snapshots, now);
      await refreshMissingPostFacts(tx, workspaceId);
      return written;
    });
  }
  for (const snapshot of snapshots) {
    const next = nextSlot(snapshot.publishedAt, now);
    const { id } = snapshot.claim;
    await settleCollected(db, id, owner, {
      publishedAt: snapshot.publishedAt,
      handle: snapshot.handle,
      at: now,
      next,
      finished: FINISHED,
    });
    if (next === null) round.stopped++;
    round.outcomes.set(id, { kind: "collected", snapshot, next });
  }
  for (const claim of batch) {
    const reason = collected.gone.get(claim.externalId);
    if (reason === undefined) continue;
    await stopClaimed(db, claim.id, owner, reason);
    round.stopped++;
    round.outcomes.set(claim.id, { kind: "stopped", reason });
  }
  const unreached = batch.filter((claim) => !round.outcomes.has(claim.id));
  const pauseUntil = new Date(now.getTime() + (collected.pauseMs ?? 0));
  await defer(db, unreached, owner, round, { at: pauseUntil, error: null, counted: false, cause: "paused" });
  if (collected.pauseMs !== null) {
    await holdPair(db, pairOf(batch), now, { until: pauseUntil, error: "Near the platform's rate limit." });
    round.pairHeld = true;
  }
}

async function settleFailure(
  deps: CollectionDeps,
  collector: Collector,
  batch: readonly ClaimedPost[],
  error: CollectError,
  owner: string,
  now: Date,
  round: ClaimedRound,
): Promise<void> {
  const db = deps.store.prisma;
  const pair = pairOf(batch);
  const attempts = Math.max(...batch.map((post) => post.attempts));
  const later = (ms: number) => new Date(now.getTime() + ms);
  switch (error.kind) {
    case "retry":
    case "quota": {
      const until = later(error.retryAfterMs ?? (error.kind === "quota" ? HOUR : backoffMs(attempts)));
      await defer(db, batch, owner, round, {
        at: until,
        error: error.message,
        counted: true,
        cause: error.kind,
      });
      await holdPair(db, pair, now, { until, error: error.message });
      round.pairHeld = true;
      return;
    }
    case "credentials": {
      await deps.collectors.credentialProblem(
        pair.workspaceId,
        collector.platform,
        error.subject,
        error.message,
      );
      const until = later(CREDENTIAL_RECHECK_MS);
      await defer(db, batch, owner, round, {
        at: until,
        error: error.message,
        counted: false,
        cause: error.kind,
      });
      if (error.subject === null) {
        await holdPair(db, pair, now, { until, error: error.message });
        round.pairHeld = true;
      }
      return;
    }
    case "refused": {
      for (const post of batch) {
        if (post.attempts >= MAX_REFUSALS) {
          const reason = `refused by the platform: ${error.message}`;
          await stopClaimed(db, post.id, owner, reason);
          round.stopped++;
          round.outcomes.set(post.id, { kind: "stopped", reason });
        } else {
          await defer(db, [post], owner, round, {
            at: later(backoffMs(post.attempts)),
            error: error.message,
            counted: true,
            cause: error.kind,
          });
        }
      }
    }
  }
}

async function defer(
  db: SqlRunner,
  posts: readonly ClaimedPost[],
  owner: string,
  round: ClaimedRound,
  retry: { at: Date; error: string | null; counted: boolean; cause: DeferCause },
): Promise<void> {
  await releaseClaimed(
    db,
    posts.map((post) => post.id),
    owner,
    retry,
  );
  round.deferred += posts.length;
  for (const post of posts) {
    round.outcomes.set(post.id, {
      kind: "deferred",
      until: retry.at,
      reason: retry.error ?? "",
      cause: retry.cause,
    });
  }
}

/** The claimed posts grouped by the collector's batch key (they were claimed at most batchSize). */
function batchesOf(collector: Collector, claimed: readonly ClaimedPost[]): ClaimedPost[][] {
  const batches = new Map<string, ClaimedPost[]>();
  for (const post of claimed) {
    const key = collector.batchKey({ postId: post.externalId, handle: post.handle });
    batches.set(key, [...(batches.get(key) ?? []), post]);
  }
  return [...batches.values()];
}

function pairOf(batch: readonly ClaimedPost[]): CollectionPair {
  const [first] = batch;
  if (!first) throw new RangeError("an empty batch has no workspace");
  return { workspaceId: first.workspaceId, platform: first.platform };
}

/** A network failure or an answer not shaped as documented is tried again like a 5xx. */
function toCollectError(error: unknown): CollectError {
  if (error instanceof CollectError) return error;
  log.warn({ err: errorSummary(error) }, "A collection call failed");
  return new CollectError("retry", "The platform could not be reached or answered unexpectedly.");
}
