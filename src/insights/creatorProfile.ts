import { closestMatches, uniqueMatch } from "../commands/suggest.ts";
import { tierOf } from "../metrics/index.ts";
import { campaignNamesOfCreator, findCreators, listCreatorHandles } from "../store/catalog.ts";
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
  const [exact] = await findCreators(ctx.prisma, ctx.workspace.id, handle, args.platform);
  const handles = exact ? [] : await listCreatorHandles(ctx.prisma, ctx.workspace.id);
  const named = exact ? undefined : uniqueMatch(handle, handles);
  const [creator] = named ? await findCreators(ctx.prisma, ctx.workspace.id, named, args.platform) : [exact];
  if (!creator) return creatorNotFound(ctx, handle, handles, now);

  const scope = { creatorIds: [creator.id] };
  const tier = tierOf(creator.followers, ctx.workspace.tierBoundaries);
  const [totals, medians, curve, campaigns] = await Promise.all([
    totalAggregate(ctx, now, scope),
    tierMedians(ctx, tier, now),
    engagementCurve(ctx, now, scope),
    campaignNamesOfCreator(ctx.prisma, ctx.workspace.id, creator.id),
  ]);
  return {
    kind: "creatorProfile",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    creator: { handle: creator.handle, platform: creator.platform, followers: creator.followers, tier },
    resolvedFrom: exact ? null : handle,
    ...totals,
    campaigns,
    tierMedians: medians,
    curve,
  };
}

function creatorNotFound(ctx: InsightContext, handle: string, handles: string[], now: Date): NotFoundView {
  return {
    kind: "notFound",
    entity: "creator",
    query: handle,
    suggestions: closestMatches(handle, handles).map((match) => `@${match}`),
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
  };
}
