import { closestMatches } from "../commands/suggest.ts";
import { tierOf } from "../metrics/index.ts";
import { findCreators, listCreatorHandles } from "../store/catalog.ts";
import {
  engagementCurve,
  type InsightContext,
  tierMedians,
  totalAggregate,
  workspaceInfo,
} from "./context.ts";
import type { CreatorProfileView, NotFoundView } from "./viewModels.ts";

export interface CreatorProfileArgs {
  handle: string;
  platform?: string;
}

/** One creator: direct and sustained numbers side by side, against the median of their tier. */
export async function creatorProfile(
  ctx: InsightContext,
  args: CreatorProfileArgs,
  now: Date,
): Promise<CreatorProfileView | NotFoundView> {
  const handle = args.handle.replace(/^@/, "").toLowerCase();
  const [creator] = await findCreators(ctx.prisma, ctx.workspace.id, handle, args.platform);
  if (!creator) return creatorNotFound(ctx, handle, now);

  const scope = { creatorIds: [creator.id] };
  const tier = tierOf(creator.followers, ctx.workspace.tierBoundaries);
  const [totals, medians, curve, campaigns] = await Promise.all([
    totalAggregate(ctx, now, scope),
    tierMedians(ctx, tier, now),
    engagementCurve(ctx, now, scope),
    campaignsOf(ctx, creator.id),
  ]);
  return {
    kind: "creatorProfile",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    creator: { handle: creator.handle, platform: creator.platform, followers: creator.followers, tier },
    ...totals,
    campaigns,
    tierMedians: medians,
    curve,
  };
}

async function campaignsOf(ctx: InsightContext, creatorId: number): Promise<string[]> {
  const rows = await ctx.prisma.campaign.findMany({
    where: { workspaceId: ctx.workspace.id, posts: { some: { creatorId } } },
    select: { name: true },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => row.name);
}

async function creatorNotFound(ctx: InsightContext, handle: string, now: Date): Promise<NotFoundView> {
  const handles = await listCreatorHandles(ctx.prisma, ctx.workspace.id);
  return {
    kind: "notFound",
    entity: "creator",
    query: handle,
    suggestions: closestMatches(handle, handles).map((match) => `@${match}`),
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
  };
}
