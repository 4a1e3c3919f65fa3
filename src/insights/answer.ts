import { type HelpTopic, helpContent } from "../commands/help.ts";
import type { Intent } from "../commands/intent.ts";
import { resolvePeriod } from "../commands/period.ts";
import { findCampaign } from "../store/catalog.ts";
import { campaignNotFound, campaignReport } from "./campaignReport.ts";
import { compareTiers } from "./compareTiers.ts";
import type { InsightContext } from "./context.ts";
import { creatorProfile } from "./creatorProfile.ts";
import { longevityAlerts } from "./longevityAlerts.ts";
import { top } from "./top.ts";
import type { HelpView, ViewModel } from "./viewModels.ts";
import { weeklyDigest } from "./weeklyDigest.ts";

/** Intents about the data; the others (subscriptions, alert settings) belong to the scheduler. */
export type QuestionIntent = Extract<
  Intent,
  { kind: "help" | "creator" | "campaign" | "top" | "compareTiers" | "digest" | "alerts" | "unknown" }
>;

export function isQuestion(intent: Intent): intent is QuestionIntent {
  return ["help", "creator", "campaign", "top", "compareTiers", "digest", "alerts", "unknown"].includes(
    intent.kind,
  );
}

export function help(topic?: HelpTopic, notUnderstood: HelpView["notUnderstood"] = null): HelpView {
  return { kind: "help", ...helpContent(topic), notUnderstood };
}

/** The one path every question takes, whoever asked it: intent → insight → view model. */
export async function answer(ctx: InsightContext, intent: QuestionIntent, now: Date): Promise<ViewModel> {
  switch (intent.kind) {
    case "help":
      return help(intent.topic);
    case "unknown":
      return help(undefined, { text: intent.text, reason: intent.reason });
    case "creator":
      return creatorProfile(ctx, { handle: intent.handle, platform: intent.platform }, now);
    case "campaign":
      return campaignReport(ctx, { name: intent.name }, now);
    case "compareTiers":
      return compareTiers(ctx, { tiers: intent.tiers }, now);
    case "top":
    case "digest":
    case "alerts":
      return answerInCampaign(ctx, intent, now);
  }
}

/** Questions that may name a campaign: an unknown name answers with the closest ones. */
async function answerInCampaign(
  ctx: InsightContext,
  intent: Extract<QuestionIntent, { kind: "top" | "digest" | "alerts" }>,
  now: Date,
): Promise<ViewModel> {
  const campaign = intent.campaign ? await findCampaign(ctx.prisma, ctx.workspace.id, intent.campaign) : null;
  if (intent.campaign && !campaign) return campaignNotFound(ctx, intent.campaign, now);
  const inCampaign = campaign ?? undefined;
  switch (intent.kind) {
    case "top":
      return top(
        ctx,
        {
          n: intent.n,
          entity: intent.entity,
          metric: intent.metric,
          campaign: inCampaign,
          period: intent.period ? resolvePeriod(intent.period, now, ctx.workspace.timezone) : undefined,
        },
        now,
      );
    case "digest":
      return weeklyDigest(ctx, { campaignId: campaign?.id, campaignName: campaign?.name }, now);
    case "alerts":
      return longevityAlerts(ctx, { campaign: inCampaign }, now);
  }
}
