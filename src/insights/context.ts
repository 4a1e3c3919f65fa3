import { aggregateFromSums, MS_PER_DAY, mediansOfCreators, sumFacts } from "../metrics/index.ts";
import { type Aggregate, type FactSums, type PooledSums, TIERS, type Tier } from "../metrics/types.ts";
import type { Store } from "../store/database.ts";
import {
  type GroupedFactSums,
  type GroupedPooledSums,
  type PostScope,
  queryCreatorSumsOfTier,
  queryEngagementCurve,
  queryFactSums,
  queryStoredTierMedians,
} from "../store/postFacts.ts";
import type { Workspace } from "../store/workspaces.ts";
import type { CurvePointView, RetentionWeek, TierMedians, TierRow, WorkspaceInfo } from "./viewModels.ts";

/** Everything an insight needs: the store and the one workspace (tenant) it answers for. */
export interface InsightContext {
  prisma: Store["prisma"];
  workspace: Workspace;
}

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * MS_PER_DAY);
}

export function workspaceInfo(workspace: Workspace): WorkspaceInfo {
  const { slug, name, currency, locale, timezone, privateCharts } = workspace;
  return { slug, name, currency, locale, timezone, privateCharts };
}

export function aggregate(ctx: InsightContext, sums: FactSums | PooledSums): Aggregate {
  return aggregateFromSums(sums, ctx.workspace.emvRates);
}

/** Pooled sums per group over the posts in scope. */
export function factSums(
  ctx: InsightContext,
  now: Date,
  grouping: Parameters<typeof queryFactSums>[3],
  scope: PostScope = {},
) {
  return queryFactSums(ctx.prisma, ctx.workspace.id, now, grouping, {
    ...scope,
    tierBoundaries: ctx.workspace.tierBoundaries,
  });
}

export async function totalAggregate(ctx: InsightContext, now: Date, scope: PostScope): Promise<Aggregate> {
  const [sums] = await factSums(ctx, now, "none", scope);
  return aggregate(ctx, sums ?? sumFacts([]));
}

/**
 * The median creator of a tier as of `now`, metric by metric (each over the creators where it is
 * defined): the tier's stored medians where they hold for `now`, else from each creator's stored
 * sums (or, where those are not current, the stored per-post facts), read at query time. Either
 * way current right after an import, and the same on every replica.
 */
export async function tierMedians(ctx: InsightContext, tier: Tier, now: Date): Promise<TierMedians> {
  const scope = { tier, tierBoundaries: ctx.workspace.tierBoundaries };
  const stored = await queryStoredTierMedians(ctx.prisma, ctx.workspace.id, now, scope);
  if (stored) return { tier, ...stored };
  const perCreator = await queryCreatorSumsOfTier(ctx.prisma, ctx.workspace.id, now, scope);
  return { tier, ...mediansOfCreators(perCreator, ctx.workspace.emvRates) };
}

/** The creator's or campaign's engagement curve (src/store/facts/curve.ts). */
export function engagementCurve(ctx: InsightContext, now: Date, scope: PostScope): Promise<CurvePointView[]> {
  return queryEngagementCurve(ctx.prisma, ctx.workspace.id, now, scope);
}

/** One row per tier that has posts, in tier order, from sums grouped by tier. */
export function tierRows(
  ctx: InsightContext,
  tierSums: GroupedFactSums[],
  wanted: readonly Tier[] = TIERS,
): TierRow[] {
  return TIERS.filter((tier) => wanted.includes(tier)).flatMap((tier) => {
    const sums = tierSums.find((candidate) => candidate.key === tier);
    return sums ? [tierRow(tier, sums.creators, aggregate(ctx, sums))] : [];
  });
}

function tierRow(tier: Tier, creators: number, a: Aggregate): TierRow {
  return {
    tier,
    creators,
    posts: a.posts,
    fee: a.direct.fee,
    clicks: a.direct.clicks,
    engagements: a.sustained.engagements,
    sustainedEngagements: a.sustained.sustainedEngagements,
    cpe: a.sustained.cpe,
    costPerSustainedEngagement: a.sustained.costPerSustainedEngagement,
    week2Retention: a.sustained.week2Retention,
    longevity: a.sustained.longevity,
    medianHalfLifeDays: a.sustained.halfLifeDays,
    emvPerFee: a.direct.fee > 0 ? a.sustained.emv / a.direct.fee : null,
    basis: a.basis,
  };
}

/** Week-2 retention by publishing week, oldest first. */
export async function retentionTrend(
  ctx: InsightContext,
  now: Date,
  scope: PostScope,
  weeks: number,
): Promise<RetentionWeek[]> {
  const rows = await factSums(ctx, now, "publishWeek", {
    ...scope,
    publishedFrom: daysBefore(now, weeks * 7),
  });
  return retentionWeeks(ctx, rows);
}

/** Week-2 retention by publishing week, oldest first, from sums grouped by publish week. */
export function retentionWeeks(ctx: InsightContext, weekSums: GroupedPooledSums[]): RetentionWeek[] {
  return weekSums
    .map((sums) => ({
      week: String(sums.key),
      posts: sums.posts,
      week2Retention: aggregate(ctx, sums).sustained.week2Retention,
    }))
    .sort((a, b) => a.week.localeCompare(b.week));
}
