import { closestMatches } from "../commands/suggest.ts";
import { tierOf } from "../metrics/index.ts";
import { type CampaignRecord, creatorsByIds, findCampaign, listCampaigns } from "../store/catalog.ts";
import {
  aggregate,
  engagementCurve,
  factSums,
  type InsightContext,
  retentionTrend,
  tierRows,
  totalAggregate,
  workspaceInfo,
} from "./context.ts";
import type { CampaignReportView, CreatorRow, NotFoundView, TierRow } from "./viewModels.ts";

const TOP_CREATORS = 5;
const TREND_WEEKS = 12;

/** One campaign: totals, by tier, the creators who carried it, and how retention moved week by week. */
export async function campaignReport(
  ctx: InsightContext,
  args: { name: string },
  now: Date,
): Promise<CampaignReportView | NotFoundView> {
  const campaign = await findCampaign(ctx.prisma, ctx.workspace.id, args.name);
  if (!campaign) return campaignNotFound(ctx, args.name, now);

  const scope = { campaignId: campaign.id };
  const [totals, perCreator, trend, curve] = await Promise.all([
    totalAggregate(ctx, now, scope),
    creatorRows(ctx, now, campaign),
    retentionTrend(ctx, now, scope, TREND_WEEKS),
    engagementCurve(ctx, now, scope),
  ]);
  return {
    kind: "campaignReport",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    campaign: { name: campaign.name },
    ...totals,
    creators: perCreator.rows.length,
    byTier: perCreator.byTier,
    topCreators: [...perCreator.rows]
      .sort(
        (a, b) =>
          (b.sustainedEngagements ?? -1) - (a.sustainedEngagements ?? -1) ||
          (b.clicks ?? -1) - (a.clicks ?? -1),
      )
      .slice(0, TOP_CREATORS),
    retentionTrend: trend,
    curve,
  };
}

async function creatorRows(
  ctx: InsightContext,
  now: Date,
  campaign: CampaignRecord,
): Promise<{ rows: CreatorRow[]; byTier: TierRow[] }> {
  const scope = { campaignId: campaign.id };
  const [creatorSums, tierSums] = await Promise.all([
    factSums(ctx, now, "creator", scope),
    factSums(ctx, now, "tier", scope),
  ]);
  const creators = await creatorsByIds(
    ctx.prisma,
    ctx.workspace.id,
    creatorSums.map((sums) => Number(sums.key)),
  );
  const rows: CreatorRow[] = [];
  for (const sums of creatorSums) {
    const creator = creators.get(Number(sums.key));
    if (!creator) continue;
    const a = aggregate(ctx, sums);
    rows.push({
      handle: creator.handle,
      platform: creator.platform,
      tier: tierOf(creator.followers, ctx.workspace.tierBoundaries),
      posts: a.posts,
      clicks: a.direct.clicks,
      engagements: a.sustained.engagements,
      sustainedEngagements: a.sustained.sustainedEngagements,
      week2Retention: a.sustained.week2Retention,
      longevity: a.sustained.longevity,
    });
  }
  return { rows, byTier: tierRows(ctx, tierSums) };
}

export async function campaignNotFound(ctx: InsightContext, name: string, now: Date): Promise<NotFoundView> {
  const campaigns = await listCampaigns(ctx.prisma, ctx.workspace.id);
  return {
    kind: "notFound",
    entity: "campaign",
    query: name,
    suggestions: closestMatches(
      name,
      campaigns.map((campaign) => campaign.name),
    ),
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
  };
}
