import { sumFacts, tierOf } from "../metrics/index.ts";
import type { Tier } from "../metrics/types.ts";
import { creatorsByIds, postsByIds } from "../store/catalog.ts";
import {
  type CreatorWeekActivity,
  type EvergreenFacts,
  queryDigestFacts,
  queryWeeklyActivity,
  workspaceFactsStoredAt,
} from "../store/postFacts.ts";
import { aggregate, daysBefore, type InsightContext, retentionWeeks, workspaceInfo } from "./context.ts";
import type {
  CreatorWeekRow,
  EvergreenPost,
  ValuePerFee,
  WeeklyDigestView,
  WeekNumbers,
} from "./viewModels.ts";

const TOP_CREATORS = 3;
const EVERGREEN_POSTS = 5;
/** Value per unit of fee, evergreen candidates and the trend look at posts this recent. */
const LOOKBACK_DAYS = 90;
const TREND_WEEKS = 8;

/** The last 7 days against the 7 before: clicks next to what kept earning engagement. */
export async function weeklyDigest(
  ctx: InsightContext,
  args: { campaignId?: number; campaignName?: string },
  now: Date,
): Promise<WeeklyDigestView> {
  const scope = args.campaignId === undefined ? {} : { campaignId: args.campaignId };
  const recent = { ...scope, publishedFrom: daysBefore(now, LOOKBACK_DAYS) };
  const factsStored = await workspaceFactsStoredAt(ctx.prisma, ctx.workspace.id, now);
  const [activity, facts] = await Promise.all([
    queryWeeklyActivity(ctx.prisma, ctx.workspace.id, now, scope, { factsStored }),
    queryDigestFacts(
      ctx.prisma,
      ctx.workspace.id,
      now,
      { ...recent, tierBoundaries: ctx.workspace.tierBoundaries },
      { trendFrom: daysBefore(now, TREND_WEEKS * 7), evergreenPosts: EVERGREEN_POSTS, factsStored },
    ),
  ]);
  const topByClicks = topActivity(activity, (row) => row.clicksThisWeek);
  const topBySustained = topActivity(activity, (row) => row.sustainedThisWeek);
  const [creators, evergreen] = await Promise.all([
    creatorsByIds(ctx.prisma, ctx.workspace.id, [
      ...new Set([...topByClicks, ...topBySustained].map((row) => row.creatorId)),
    ]),
    evergreenPosts(ctx, facts.evergreen),
  ]);
  const creatorRows = (top: CreatorWeekActivity[]): CreatorWeekRow[] =>
    top.flatMap((row) => {
      const creator = creators.get(row.creatorId);
      if (!creator) return [];
      return [
        {
          handle: creator.handle,
          tier: tierOf(creator.followers, ctx.workspace.tierBoundaries),
          clicks: row.clicksThisWeek,
          sustainedEngagements: row.sustainedThisWeek,
        },
      ];
    });
  const valuePerFee = (tier: Tier): ValuePerFee => {
    const sums = facts.tierSums.find((candidate) => candidate.key === tier);
    const a = aggregate(ctx, sums ?? sumFacts([]));
    const inverse = (cost: number | null) => (cost !== null && cost > 0 ? 1 / cost : null);
    return {
      tier,
      posts: a.posts,
      fee: a.direct.fee,
      clicksPerFee: inverse(a.direct.cpc),
      sustainedEngagementsPerFee: inverse(a.sustained.costPerSustainedEngagement),
      emvPerFee: a.direct.fee > 0 ? a.sustained.emv / a.direct.fee : null,
      basis: { observed: a.basis.observed, given: a.basis.given },
    };
  };
  return {
    kind: "weeklyDigest",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    campaign: args.campaignName ?? null,
    week: { from: daysBefore(now, 7).toISOString(), to: now.toISOString() },
    thisWeek: weekTotals(activity, "this"),
    previousWeek: weekTotals(activity, "last"),
    topByClicks: creatorRows(topByClicks),
    topBySustained: creatorRows(topBySustained),
    evergreen,
    microVsMacro: { micro: valuePerFee("micro"), macro: valuePerFee("macro") },
    retentionTrend: retentionWeeks(ctx, facts.weekSums),
  };
}

function weekTotals(rows: CreatorWeekActivity[], week: "this" | "last"): WeekNumbers {
  const sum = (pick: (row: CreatorWeekActivity) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  return week === "this"
    ? {
        postsPublished: sum((row) => row.publishedThisWeek),
        clicks: sum((row) => row.clicksThisWeek),
        engagements: sum((row) => row.engagementsThisWeek),
        sustainedEngagements: sum((row) => row.sustainedThisWeek),
      }
    : {
        postsPublished: sum((row) => row.publishedLastWeek),
        clicks: sum((row) => row.clicksLastWeek),
        engagements: sum((row) => row.engagementsLastWeek),
        sustainedEngagements: sum((row) => row.sustainedLastWeek),
      };
}

/** The creators whose posts earned most of `value` this week (those that earned any), most first. */
function topActivity(
  rows: CreatorWeekActivity[],
  value: (row: CreatorWeekActivity) => number,
): CreatorWeekActivity[] {
  return rows
    .filter((row) => value(row) > 0)
    .sort((a, b) => value(b) - value(a))
    .slice(0, TOP_CREATORS);
}

/** Posts whose fourth week still brought a quarter of their first: worth reusing elsewhere. */
async function evergreenPosts(ctx: InsightContext, best: EvergreenFacts[]): Promise<EvergreenPost[]> {
  const posts = await postsByIds(
    ctx.prisma,
    ctx.workspace.id,
    best.map((f) => f.postId),
  );
  return best.flatMap((f) => {
    const post = posts.get(f.postId);
    if (!post) return [];
    return [
      {
        label: `@${post.creatorHandle} · ${post.platform} ${post.externalId}`,
        url: post.url,
        publishedAt: post.publishedAt.toISOString(),
        week4VsWeek1: (f.engagementsAt28 - f.engagementsAt21) / Math.max(f.engagementsAt7, 1),
        sustainedEngagements: f.engagementsAt28 - f.engagementsAt7,
      },
    ];
  });
}
