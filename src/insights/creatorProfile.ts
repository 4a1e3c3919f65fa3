import { closestMatches, uniqueMatch } from "../commands/suggest.ts";
import { tierOf } from "../metrics/index.ts";
import type { Tier } from "../metrics/types.ts";
import { campaignNamesOfCreator, findCreators, listCreatorHandles } from "../store/catalog.ts";
import { type CreatorCardFacts, queryCreatorCard } from "../store/postFacts.ts";
import {
  aggregate,
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
  const card = await queryCreatorCard(ctx.prisma, ctx.workspace.id, now, {
    handle,
    ...(args.platform ? { platform: args.platform } : {}),
    tierBoundaries: ctx.workspace.tierBoundaries,
  });
  const exact = card.creator;
  const handles = exact ? [] : await listCreatorHandles(ctx.prisma, ctx.workspace.id);
  const named = exact ? undefined : uniqueMatch(handle, handles);
  const [creator] = named ? await findCreators(ctx.prisma, ctx.workspace.id, named, args.platform) : [exact];
  if (!creator) return creatorNotFound(ctx, handle, handles, now);

  const tier = tierOf(creator.followers, ctx.workspace.tierBoundaries);
  const facts = exact ? card.facts : null;
  const { totals, medians, curve, campaigns } = facts
    ? await fromStoredCard(ctx, tier, now, facts)
    : await computedCard(ctx, creator.id, tier, now);
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

/** The card from the one statement that found the creator; the tier medians computed when they were not stored. */
async function fromStoredCard(ctx: InsightContext, tier: Tier, now: Date, facts: CreatorCardFacts) {
  return {
    totals: aggregate(ctx, facts.totals),
    medians: facts.tierMedians ? { tier, ...facts.tierMedians } : await tierMedians(ctx, tier, now),
    curve: facts.curve,
    campaigns: facts.campaigns,
  };
}

/** The card from the queries that compute what is not stored (a creator found by a near name, or facts not current for now). */
async function computedCard(ctx: InsightContext, creatorId: number, tier: Tier, now: Date) {
  const scope = { creatorIds: [creatorId] };
  const [totals, medians, curve, campaigns] = await Promise.all([
    totalAggregate(ctx, now, scope),
    tierMedians(ctx, tier, now),
    engagementCurve(ctx, now, scope),
    campaignNamesOfCreator(ctx.prisma, ctx.workspace.id, creatorId),
  ]);
  return { totals, medians, curve, campaigns };
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
