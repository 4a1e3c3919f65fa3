import { sumFacts } from "../metrics/index.ts";
import type { FactSums } from "../metrics/types.ts";
import { creatorsByIds, listCampaigns } from "../store/catalog.ts";
import type { PostScope } from "../store/postFacts.ts";
import { aggregate, daysBefore, factSums, type InsightContext, workspaceInfo } from "./context.ts";
import type { AlertDriver, CohortStats, LongevityAlert, LongevityAlertsView } from "./viewModels.ts";

export interface LongevityRule {
  /** Fire when current < baseline · (1 − drop). */
  drop: number;
  /** Posts with a week-2 retention each cohort needs. */
  minPosts: number;
}

export const DEFAULT_LONGEVITY_RULE: LongevityRule = { drop: 0.25, minPosts: 3 };
const MAX_DRIVERS = 3;

/** PRODUCT.md's cohorts: published in [now − 21 d, now − 14 d) against [now − 77 d, now − 21 d). */
export function cohortWindows(now: Date) {
  return {
    current: { publishedFrom: daysBefore(now, 21), publishedBefore: daysBefore(now, 14) },
    baseline: { publishedFrom: daysBefore(now, 77), publishedBefore: daysBefore(now, 21) },
  };
}

/**
 * The longevity-drop check for the workspace (or one campaign), and for each campaign when
 * asked workspace-wide. Cooldown between repeated alerts is the scheduler's job: this says
 * what holds as of `now`.
 */
export async function longevityAlerts(
  ctx: InsightContext,
  args: { campaign?: { id: number; name: string }; rule?: LongevityRule },
  now: Date,
): Promise<LongevityAlertsView> {
  const rule = args.rule ?? DEFAULT_LONGEVITY_RULE;
  const windows = cohortWindows(now);
  const scope: PostScope = args.campaign ? { campaignId: args.campaign.id } : {};
  const [current, baseline] = await Promise.all([
    factSums(ctx, now, "none", { ...scope, ...windows.current }),
    factSums(ctx, now, "none", { ...scope, ...windows.baseline }),
  ]);
  const check = evaluate(ctx, rule, windows, current[0] ?? sumFacts([]), baseline[0] ?? sumFacts([]));
  const alerts: LongevityAlert[] = [];
  if (check.fired) alerts.push(await withDrivers(ctx, now, scope, args.campaign?.name ?? null, check));
  if (!args.campaign) alerts.push(...(await campaignAlerts(ctx, now, rule)));
  return {
    kind: "longevityAlerts",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    campaign: args.campaign?.name ?? null,
    rule,
    check: { current: check.current, baseline: check.baseline, fired: check.fired, reason: check.reason },
    alerts,
  };
}

interface Evaluation {
  current: CohortStats;
  baseline: CohortStats;
  fired: boolean;
  drop: number;
  reason: string;
}

function evaluate(
  ctx: InsightContext,
  rule: LongevityRule,
  windows: ReturnType<typeof cohortWindows>,
  currentSums: FactSums,
  baselineSums: FactSums,
): Evaluation {
  const stats = (sums: FactSums, window: { publishedFrom: Date; publishedBefore: Date }): CohortStats => ({
    from: window.publishedFrom.toISOString(),
    to: window.publishedBefore.toISOString(),
    posts: sums.week2Posts,
    week2Retention: aggregate(ctx, sums).sustained.week2Retention,
  });
  const current = stats(currentSums, windows.current);
  const baseline = stats(baselineSums, windows.baseline);
  const base = { current, baseline, fired: false, drop: 0 };
  if (current.posts < rule.minPosts || baseline.posts < rule.minPosts) {
    return { ...base, reason: `needs ${rule.minPosts} posts with two weeks of history on each side` };
  }
  if (current.week2Retention === null || baseline.week2Retention === null || baseline.week2Retention <= 0) {
    return { ...base, reason: "no week-2 retention to compare" };
  }
  const drop = 1 - current.week2Retention / baseline.week2Retention;
  const fired = current.week2Retention < baseline.week2Retention * (1 - rule.drop);
  const reason = fired
    ? `week-2 retention fell ${Math.round(drop * 100)}% below baseline (threshold ${Math.round(rule.drop * 100)}%)`
    : `within ${Math.round(rule.drop * 100)}% of baseline`;
  return { ...base, fired, drop, reason };
}

async function campaignAlerts(
  ctx: InsightContext,
  now: Date,
  rule: LongevityRule,
): Promise<LongevityAlert[]> {
  const windows = cohortWindows(now);
  const [current, baseline, campaigns] = await Promise.all([
    factSums(ctx, now, "campaign", windows.current),
    factSums(ctx, now, "campaign", windows.baseline),
    listCampaigns(ctx.prisma, ctx.workspace.id),
  ]);
  const alerts: LongevityAlert[] = [];
  for (const campaign of campaigns) {
    const currentSums = current.find((sums) => sums.key === campaign.id);
    const baselineSums = baseline.find((sums) => sums.key === campaign.id);
    if (!currentSums || !baselineSums) continue;
    const check = evaluate(ctx, rule, windows, currentSums, baselineSums);
    if (check.fired)
      alerts.push(await withDrivers(ctx, now, { campaignId: campaign.id }, campaign.name, check));
  }
  return alerts;
}

/**
 * The creators behind a drop. Each creator's pull is the E(7)-weighted gap between the baseline and
 * their own week-2 retention; the pulls of all creators add up to (baseline − current). A creator's
 * share is their pull as a part of all the creators pulling down, so the shares add up to 100 %
 * (creators above the baseline offset the drop and are not drivers).
 */
async function withDrivers(
  ctx: InsightContext,
  now: Date,
  scope: PostScope,
  campaign: string | null,
  check: Evaluation,
): Promise<LongevityAlert> {
  const perCreator = await factSums(ctx, now, "creator", { ...scope, ...cohortWindows(now).current });
  const creators = await creatorsByIds(
    ctx.prisma,
    ctx.workspace.id,
    perCreator.map((sums) => Number(sums.key)),
  );
  const baselineRate = check.baseline.week2Retention ?? 0;
  const totalE7 = perCreator.reduce((total, sums) => total + sums.week2E7, 0);
  const pulling = perCreator
    .filter((sums) => sums.week2Posts > 0)
    .map((sums) => {
      const rate = aggregate(ctx, sums).sustained.week2Retention;
      const pull = rate === null ? 0 : (sums.week2E7 / totalE7) * (baselineRate - rate);
      return { sums, rate, pull };
    })
    .filter((creator) => creator.pull > 0);
  const totalPull = pulling.reduce((total, creator) => total + creator.pull, 0);
  const drivers: AlertDriver[] = pulling
    .map(({ sums, rate, pull }) => ({
      handle: creators.get(Number(sums.key))?.handle ?? "?",
      posts: sums.week2Posts,
      week2Retention: rate,
      share: pull / totalPull,
    }))
    .sort((a, b) => b.share - a.share)
    .slice(0, MAX_DRIVERS);
  return { campaign, current: check.current, baseline: check.baseline, drop: check.drop, drivers };
}
