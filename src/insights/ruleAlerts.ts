import { aggregateFromSums } from "../metrics/index.ts";
import { creatorsByIds, postsByIds } from "../store/catalog.ts";
import { type GroupedFactSums, queryFactSums, queryPostFacts } from "../store/postFacts.ts";
import { daysBefore, type InsightContext, workspaceInfo } from "./context.ts";
import { cohortWindows } from "./longevityAlerts.ts";
import type { CreatorRetentionAlertView, EvergreenAlertView } from "./viewModels.ts";

/** Something an alert rule found: its view, and what makes it the same finding next time. */
export interface RuleFinding<V> {
  subject: string;
  view: V;
}

/** Posts that turned 28 days old in the last week and turned out evergreen: one view each. */
export async function newlyEvergreen(
  ctx: InsightContext,
  scope: { campaignId: number | null },
  now: Date,
): Promise<RuleFinding<EvergreenAlertView>[]> {
  const facts = await queryPostFacts(
    ctx.prisma,
    ctx.workspace.id,
    now,
    {
      campaignId: scope.campaignId ?? undefined,
      publishedFrom: daysBefore(now, 35),
      publishedBefore: daysBefore(now, 28),
    },
    { evergreenOnly: true },
  );
  const posts = await postsByIds(
    ctx.prisma,
    ctx.workspace.id,
    facts.map((fact) => fact.postId),
  );
  return facts.flatMap((fact) => {
    const post = posts.get(fact.postId);
    if (!post) return [];
    const week1 = fact.engagementsAt7 ?? 0;
    const week4 = (fact.engagementsAt28 ?? 0) - (fact.engagementsAt21 ?? 0);
    const view: EvergreenAlertView = {
      kind: "evergreenAlert",
      workspace: workspaceInfo(ctx.workspace),
      asOf: now.toISOString(),
      post: {
        handle: post.creatorHandle,
        platform: post.platform,
        externalId: post.externalId,
        url: post.url,
        publishedAt: post.publishedAt.toISOString(),
        campaign: post.campaignName,
      },
      week1Engagements: week1,
      week4Engagements: week4,
      week4VsWeek1: week4 / Math.max(week1, 1),
    };
    return [{ subject: `post-${post.id}`, view }];
  });
}

/**
 * Creators whose latest cohort's week-2 retention fell below `threshold` of their own baseline
 * (the same cohorts as the longevity alert; the baseline needs `minPosts` posts).
 */
export async function creatorsBelowBaseline(
  ctx: InsightContext,
  rule: { campaignId: number | null; threshold: number; minPosts: number },
  now: Date,
): Promise<RuleFinding<CreatorRetentionAlertView>[]> {
  const windows = cohortWindows(now);
  const scope = { campaignId: rule.campaignId ?? undefined, tierBoundaries: ctx.workspace.tierBoundaries };
  const [current, baseline] = await Promise.all([
    queryFactSums(ctx.prisma, ctx.workspace.id, now, "creator", { ...scope, ...windows.current }),
    queryFactSums(ctx.prisma, ctx.workspace.id, now, "creator", { ...scope, ...windows.baseline }),
  ]);
  const rate = (sums: GroupedFactSums) =>
    aggregateFromSums(sums, ctx.workspace.emvRates).sustained.week2Retention;
  const falling = current.flatMap((sums) => {
    const own = baseline.find((candidate) => candidate.key === sums.key);
    const latest = rate(sums);
    const before = own && own.week2Posts >= rule.minPosts ? rate(own) : null;
    return own && latest !== null && before !== null && before > 0 && latest < before * rule.threshold
      ? [{ creatorId: Number(sums.key), current: latest, baseline: before, posts: sums.week2Posts, own }]
      : [];
  });
  const creators = await creatorsByIds(
    ctx.prisma,
    ctx.workspace.id,
    falling.map((row) => row.creatorId),
  );
  const cohort = (window: { publishedFrom: Date; publishedBefore: Date }, posts: number, rate: number) => ({
    from: window.publishedFrom.toISOString(),
    to: window.publishedBefore.toISOString(),
    posts,
    week2Retention: rate,
  });
  return falling.flatMap((row) => {
    const creator = creators.get(row.creatorId);
    if (!creator) return [];
    const view: CreatorRetentionAlertView = {
      kind: "creatorRetentionAlert",
      workspace: workspaceInfo(ctx.workspace),
      asOf: now.toISOString(),
      creator: { handle: creator.handle },
      threshold: rule.threshold,
      current: cohort(windows.current, row.posts, row.current),
      baseline: cohort(windows.baseline, row.own.week2Posts, row.baseline),
    };
    return [{ subject: `creator-${creator.id}`, view }];
  });
}
