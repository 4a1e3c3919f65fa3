import { forAnswering, insightContextById } from "../conversation/workspace.ts";
import { daysBefore, type InsightContext } from "../insights/context.ts";
import { longevityAlerts } from "../insights/longevityAlerts.ts";
import { creatorsBelowBaseline, newlyEvergreen, type RuleFinding } from "../insights/ruleAlerts.ts";
import type { ViewModel } from "../insights/viewModels.ts";
import { MS_PER_DAY } from "../metrics/curve.ts";
import { campaignById } from "../store/catalog.ts";
import { enqueueDelivery } from "../store/outbox.ts";
import { type AlertRuleRecord, activeAlertRules, alertSentSince } from "../store/subscriptions.ts";
import type { PlanDeps } from "./plan.ts";

type Rule = AlertRuleRecord;

type Finding = RuleFinding<ViewModel>;

/**
 * Evaluates every active alert rule (of one workspace, or all) as of `now` and puts what fires
 * in the outbox. A finding is sent once: its dedupe key holds the rule, the subject and the
 * cooldown period, and a rule that fired within its cooldown stays quiet.
 */
export async function evaluateAlertRules(
  deps: PlanDeps,
  now: Date,
  options: { workspaceId?: number } = {},
): Promise<number> {
  const rules = await activeAlertRules(deps.prisma, options.workspaceId);
  let enqueued = 0;
  for (const rule of rules) {
    const render = deps.renderers[rule.platform];
    if (!render) continue;
    const onPrimary = await insightContextById(deps.prisma, rule.workspaceId);
    const campaign = await ruleCampaign(onPrimary, rule);
    for (const finding of await findingsOf(forAnswering(onPrimary, deps), rule, campaign, now)) {
      if (await alertSentSince(deps.prisma, rule.id, finding.subject, daysBefore(now, rule.cooldownDays)))
        continue;
      const added = await enqueueDelivery(deps.prisma, {
        workspaceId: rule.workspaceId,
        dedupeKey: `alert:${rule.id}:${finding.subject}:${Math.floor(now.getTime() / (rule.cooldownDays * MS_PER_DAY))}`,
        alertRuleId: rule.id,
        platform: rule.platform,
        channelId: rule.channelId,
        payload: render(finding.view),
        dueAt: now,
      });
      if (added) enqueued++;
    }
  }
  return enqueued;
}

/** What a rule finds, its insights read through `ctx` (the replica, when in use). */
function findingsOf(ctx: InsightContext, rule: Rule, campaign: Campaign, now: Date): Promise<Finding[]> {
  switch (rule.kind) {
    case "longevityDrop":
      return longevityDrop(ctx, rule, campaign, now);
    case "evergreen":
      return newlyEvergreen(ctx, { campaignId: rule.campaignId }, now);
    case "creatorRetention":
      return creatorsBelowBaseline(
        ctx,
        { campaignId: rule.campaignId, threshold: rule.threshold, minPosts: rule.minPosts },
        now,
      );
    default:
      return Promise.resolve([]);
  }
}

type Campaign = Awaited<ReturnType<typeof ruleCampaign>>;

/** The rule's campaign, read on the primary: one a replica has not replayed yet still narrows the rule. */
async function ruleCampaign(onPrimary: InsightContext, rule: Rule) {
  if (rule.campaignId === null) return undefined;
  return (await campaignById(onPrimary.prisma, onPrimary.workspace.id, rule.campaignId)) ?? undefined;
}

/** PRODUCT.md's longevity-drop alert for the rule's scope (the workspace or one campaign). */
async function longevityDrop(
  ctx: InsightContext,
  rule: Rule,
  campaign: Campaign,
  now: Date,
): Promise<Finding[]> {
  const view = await longevityAlerts(
    ctx,
    { campaign, rule: { drop: rule.threshold, minPosts: rule.minPosts } },
    now,
  );
  const alert = view.alerts.find((candidate) => candidate.campaign === (campaign?.name ?? null));
  return alert ? [{ subject: "drop", view: { ...view, alerts: [alert] } }] : [];
}
