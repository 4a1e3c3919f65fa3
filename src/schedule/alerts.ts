import type { PrismaClient } from "../generated/prisma/client.ts";
import { daysBefore, type InsightContext } from "../insights/context.ts";
import { cohortWindows, longevityAlerts } from "../insights/longevityAlerts.ts";
import type { MessageView, ViewModel } from "../insights/viewModels.ts";
import { aggregateFromSums } from "../metrics/index.ts";
import { formatterFor } from "../render/format.ts";
import { creatorsByIds, postsByIds } from "../store/catalog.ts";
import { enqueueDelivery } from "../store/outbox.ts";
import { queryFactSums, queryPostFacts } from "../store/postFacts.ts";
import { workspaceById } from "../store/workspaces.ts";
import type { PlanDeps } from "./plan.ts";

type Rule = Awaited<ReturnType<PrismaClient["alertRule"]["findMany"]>>[number];

/** Something a rule found, ready to send once. */
interface Finding {
  /** What makes it the same finding next time (with the rule id and the cooldown period). */
  subject: string;
  view: ViewModel;
}

const DAY_MS = 86_400_000;

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
  const rules = await deps.prisma.alertRule.findMany({
    where: { active: true, ...(options.workspaceId ? { workspaceId: options.workspaceId } : {}) },
    orderBy: { id: "asc" },
  });
  let enqueued = 0;
  for (const rule of rules) {
    const render = deps.renderers[rule.platform];
    if (!render) continue;
    const ctx: InsightContext = {
      prisma: deps.prisma,
      workspace: await workspaceById(deps.prisma, rule.workspaceId),
    };
    for (const finding of await findingsOf(ctx, rule, now)) {
      if (await firedWithinCooldown(deps.prisma, rule, finding.subject, now)) continue;
      const added = await enqueueDelivery(deps.prisma, {
        workspaceId: rule.workspaceId,
        dedupeKey: `alert:${rule.id}:${finding.subject}:${Math.floor(now.getTime() / (rule.cooldownDays * DAY_MS))}`,
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

async function firedWithinCooldown(
  prisma: PrismaClient,
  rule: Rule,
  subject: string,
  now: Date,
): Promise<boolean> {
  const recent = await prisma.delivery.count({
    where: {
      alertRuleId: rule.id,
      dedupeKey: { startsWith: `alert:${rule.id}:${subject}:` },
      status: { in: ["pending", "sending", "sent"] },
      dueAt: { gt: daysBefore(now, rule.cooldownDays) },
    },
  });
  return recent > 0;
}

function findingsOf(ctx: InsightContext, rule: Rule, now: Date): Promise<Finding[]> {
  switch (rule.kind) {
    case "longevityDrop":
      return longevityDrop(ctx, rule, now);
    case "evergreen":
      return newlyEvergreen(ctx, rule, now);
    case "creatorRetention":
      return creatorRetention(ctx, rule, now);
    default:
      return Promise.resolve([]);
  }
}

async function ruleCampaign(ctx: InsightContext, rule: Rule) {
  if (rule.campaignId === null) return undefined;
  const campaign = await ctx.prisma.campaign.findFirst({
    where: { id: rule.campaignId, workspaceId: ctx.workspace.id },
    select: { id: true, name: true },
  });
  return campaign ?? undefined;
}

/** PRODUCT.md's longevity-drop alert for the rule's scope (the workspace or one campaign). */
async function longevityDrop(ctx: InsightContext, rule: Rule, now: Date): Promise<Finding[]> {
  const campaign = await ruleCampaign(ctx, rule);
  const view = await longevityAlerts(
    ctx,
    { campaign, rule: { drop: rule.threshold, minPosts: rule.minPosts } },
    now,
  );
  const alert = view.alerts.find((candidate) => candidate.campaign === (campaign?.name ?? null));
  return alert ? [{ subject: "drop", view: { ...view, alerts: [alert] } }] : [];
}

/** Posts that turned 28 days old in the last week and turned out evergreen: each announced once. */
async function newlyEvergreen(ctx: InsightContext, rule: Rule, now: Date): Promise<Finding[]> {
  const facts = await queryPostFacts(
    ctx.prisma,
    ctx.workspace.id,
    now,
    {
      campaignId: rule.campaignId ?? undefined,
      publishedFrom: daysBefore(now, 35),
      publishedBefore: daysBefore(now, 28),
    },
    { evergreenOnly: true },
  );
  const posts = await postsByIds(
    ctx.prisma,
    ctx.workspace.id,
    facts.map((f) => f.postId),
  );
  const f = formatterFor(ctx.workspace);
  return facts.flatMap((fact) => {
    const post = posts.get(fact.postId);
    if (!post) return [];
    const week4 = (fact.engagementsAt28 ?? 0) - (fact.engagementsAt21 ?? 0);
    const view: MessageView = {
      kind: "message",
      tone: "success",
      title: `Evergreen: @${post.creatorHandle}'s ${post.platform} post ${post.externalId} is still earning in week 4`,
      lines: [
        `Week 4 brought ${f.count(week4)} engagements, ${f.percent(week4 / Math.max(fact.engagementsAt7 ?? 0, 1))} of week 1 (${f.count(fact.engagementsAt7 ?? 0)}).`,
        `Published ${f.date(post.publishedAt.toISOString())}${post.campaignName ? ` for ${post.campaignName}` : ""}: worth reusing on other channels.`,
        ...(post.url ? [post.url] : []),
      ],
    };
    return [{ subject: `post-${post.id}`, view }];
  });
}

/**
 * Creators whose latest cohort's week-2 retention fell below `threshold` of their own baseline
 * (the same cohorts as the longevity alert; the baseline needs `minPosts` posts).
 */
async function creatorRetention(ctx: InsightContext, rule: Rule, now: Date): Promise<Finding[]> {
  const windows = cohortWindows(now);
  const scope = { campaignId: rule.campaignId ?? undefined, tierBoundaries: ctx.workspace.tierBoundaries };
  const [current, baseline] = await Promise.all([
    queryFactSums(ctx.prisma, ctx.workspace.id, now, "creator", { ...scope, ...windows.current }),
    queryFactSums(ctx.prisma, ctx.workspace.id, now, "creator", { ...scope, ...windows.baseline }),
  ]);
  const rate = (sums: (typeof current)[number]) =>
    aggregateFromSums(sums, ctx.workspace.emvRates).sustained.week2Retention;
  const falling = current.flatMap((sums) => {
    const own = baseline.find((candidate) => candidate.key === sums.key);
    const latest = rate(sums);
    const before = own && own.week2Posts >= rule.minPosts ? rate(own) : null;
    return latest !== null && before !== null && before > 0 && latest < before * rule.threshold
      ? [
          {
            creatorId: Number(sums.key),
            current: latest,
            baseline: before,
            posts: sums.week2Posts,
            baselinePosts: own?.week2Posts ?? 0,
          },
        ]
      : [];
  });
  const creators = await creatorsByIds(
    ctx.prisma,
    ctx.workspace.id,
    falling.map((row) => row.creatorId),
  );
  const f = formatterFor(ctx.workspace);
  return falling.flatMap((row) => {
    const creator = creators.get(row.creatorId);
    if (!creator) return [];
    const view: MessageView = {
      kind: "message",
      tone: "error",
      title: `@${creator.handle}'s week-2 retention fell to ${f.percent(row.current)}, below ${f.percent(rule.threshold)} of their own ${f.percent(row.baseline)}`,
      lines: [
        `Posts published ${f.date(windows.current.publishedFrom.toISOString())} – ${f.date(windows.current.publishedBefore.toISOString())}: ${f.percent(row.current)} on ${row.posts} post(s); the 8 weeks before: ${f.percent(row.baseline)} on ${row.baselinePosts} posts.`,
        `Ask: /creator @${creator.handle}`,
      ],
    };
    return [{ subject: `creator-${creator.id}`, view }];
  });
}
