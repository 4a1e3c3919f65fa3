import { type MetricKey, metricDefinition } from "../commands/metricKeys.ts";
import { aggregateFromSums, sumFacts } from "../metrics/index.ts";
import type { Aggregate } from "../metrics/types.ts";
import { creatorsByIds, postsByIds } from "../store/catalog.ts";
import { type PostScope, queryPostFacts } from "../store/postFacts.ts";
import { aggregate, factSums, type InsightContext, workspaceInfo } from "./context.ts";
import type { RankedRow, TopView } from "./viewModels.ts";

export interface TopArgs {
  n: number;
  entity: "creators" | "posts";
  metric: MetricKey;
  campaign?: { id: number; name: string };
  period?: { from: Date; to: Date };
}

export function metricOf(a: Aggregate, key: MetricKey): number | null {
  return key in a.direct
    ? a.direct[key as keyof Aggregate["direct"]]
    : a.sustained[key as keyof Aggregate["sustained"]];
}

interface Candidate {
  id: number;
  aggregate: Aggregate;
}

/** The n best creators or posts by one metric, optionally within a campaign or publishing period. */
export async function top(ctx: InsightContext, args: TopArgs, now: Date): Promise<TopView> {
  const scope: PostScope = {
    ...(args.campaign ? { campaignId: args.campaign.id } : {}),
    ...(args.period ? { publishedFrom: args.period.from, publishedBefore: args.period.to } : {}),
  };
  const candidates =
    args.entity === "creators"
      ? await creatorCandidates(ctx, now, scope)
      : await postCandidates(ctx, now, scope);
  const definition = metricDefinition(args.metric);
  const sign = definition.direction === "higherIsBetter" ? -1 : 1;
  const valued = candidates
    .map((candidate) => ({ ...candidate, value: metricOf(candidate.aggregate, args.metric) }))
    .filter((candidate): candidate is Candidate & { value: number } => candidate.value !== null);
  const best = valued.sort((a, b) => sign * (a.value - b.value)).slice(0, args.n);
  const labels = await labelsFor(
    ctx,
    args.entity,
    best.map((candidate) => candidate.id),
  );
  return {
    kind: "top",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    entity: args.entity,
    metric: {
      key: args.metric,
      label: definition.label,
      higherIsBetter: definition.direction === "higherIsBetter",
    },
    campaign: args.campaign?.name ?? null,
    period: args.period ? { from: args.period.from.toISOString(), to: args.period.to.toISOString() } : null,
    rows: best.map(
      (candidate, i): RankedRow => ({
        rank: i + 1,
        label: labels.get(candidate.id)?.label ?? "?",
        url: labels.get(candidate.id)?.url ?? null,
        value: candidate.value,
        posts: candidate.aggregate.posts,
        clicks: candidate.aggregate.direct.clicks,
        sustainedEngagements: candidate.aggregate.sustained.sustainedEngagements,
      }),
    ),
    withoutValue: candidates.length - valued.length,
  };
}

async function creatorCandidates(ctx: InsightContext, now: Date, scope: PostScope): Promise<Candidate[]> {
  const rows = await factSums(ctx, now, "creator", scope);
  return rows.map((sums) => ({ id: Number(sums.key), aggregate: aggregate(ctx, sums) }));
}

async function postCandidates(ctx: InsightContext, now: Date, scope: PostScope): Promise<Candidate[]> {
  const facts = await queryPostFacts(ctx.prisma, ctx.workspace.id, now, scope);
  return facts.map((f) => ({
    id: f.postId,
    aggregate: aggregateFromSums(sumFacts([f]), ctx.workspace.emvRates),
  }));
}

async function labelsFor(
  ctx: InsightContext,
  entity: TopArgs["entity"],
  ids: number[],
): Promise<Map<number, { label: string; url: string | null }>> {
  if (entity === "creators") {
    const creators = await creatorsByIds(ctx.prisma, ctx.workspace.id, ids);
    return new Map(
      [...creators].map(([id, c]) => [id, { label: `@${c.handle} (${c.platform})`, url: null }]),
    );
  }
  const posts = await postsByIds(ctx.prisma, ctx.workspace.id, ids);
  return new Map(
    [...posts].map(([id, p]) => [
      id,
      { label: `@${p.creatorHandle} · ${p.platform} ${p.externalId}`, url: p.url },
    ]),
  );
}
