import { readCampaignClause, unquoted } from "./clauses.ts";
import { MAX_DROP_PERCENT, MIN_DROP_PERCENT } from "./intent.ts";
import { metricFromText } from "./metricKeys.ts";
import { failure, type Outcome, success } from "./outcome.ts";
import { type Recognized, refuse } from "./recognized.ts";
import {
  cronFields,
  type Schedule,
  timeOfDayOrReason,
  weekdayFromText,
  weekdayOrReason,
} from "./scheduleSpec.ts";

const SCHEDULE_EXAMPLES =
  'Try subscribe weekly mon 09:00, subscribe daily 08:30 or subscribe cron "0 9 * * 1".';

/** "digest", "what's the digest", "weekly digest for spring-launch". */
export function recognizeDigest(command: string): Recognized | undefined {
  const match =
    /^(?:(?:what's|whats|what\s+is|show(?:\s+me)?|send(?:\s+me)?|give\s+me|get|see|preview)\s+)?(?:(?:the|this\s+week's|this\s+weeks|our|my|a)\s+)?(?:(?:weekly|daily)\s+)?digest(?=\s|$)\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const campaign = readCampaignClause(match[1] ?? "", "digest");
  return campaign.ok ? { kind: "digest", campaign: campaign.value } : refuse(campaign.reason);
}

/** "alerts", "any alerts?", "alerts for spring-launch". */
export function recognizeAlerts(command: string): Recognized | undefined {
  const match =
    /^(?:(?:any|show(?:\s+me)?|list|see|get|check|are\s+there(?:\s+any)?)\s+)?(?:the\s+)?(?:(?:recent|latest|current|new|open|longevity)\s+)?alerts?(?=\s|$)\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const campaign = readCampaignClause(match[1] ?? "", "alerts");
  return campaign.ok ? { kind: "alerts", campaign: campaign.value } : refuse(campaign.reason);
}

/** "alert longevity drop 30%", "alert me when longevity drops by 20% in spring-launch". */
export function recognizeAlertSettings(command: string): Recognized | undefined {
  const match =
    /^(?:set\s+(?:an?\s+|the\s+)?)?alerts?\s+(?:me\s+)?(?:(?:when|if|on|for)\s+)?(?:the\s+)?(.*?)\s*\b(?:drops?|dropping|falls?|declines?)(?=\s|$)\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const [, metricText = "", amountAndRest = ""] = match;
  // The drop alert watches week-2 retention, so both names of it are accepted.
  const metric = metricText === "" ? "longevity" : metricFromText(metricText);
  if (metric !== "longevity" && metric !== "week2Retention") {
    return refuse(`I can only alert on longevity drops, not “${metricText}”: try alert longevity drop 30%.`);
  }
  const drop = readDropPercent(amountAndRest);
  if (!drop.ok) return refuse(drop.reason);
  const campaign = readCampaignClause(drop.value.rest, "alert longevity drop");
  if (!campaign.ok) return refuse(campaign.reason);
  return {
    kind: "alertSettings",
    rule: "longevityDrop",
    percent: drop.value.percent,
    campaign: campaign.value,
  };
}

/** "alert evergreen", "alert when a post goes evergreen in spring-launch". */
export function recognizeEvergreenAlert(command: string): Recognized | undefined {
  const match =
    /^(?:set\s+(?:an?\s+)?)?alerts?\s+(?:me\s+)?(?:(?:when|if|on|for)\s+)?(?:an?\s+|the\s+)?(?:posts?\s+(?:goes|go|turns?|becomes?)\s+)?evergreen(?:\s+posts?)?(?=\s|$)\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const campaign = readCampaignClause(match[1] ?? "", "alert evergreen");
  return campaign.ok
    ? { kind: "alertSettings", rule: "evergreen", campaign: campaign.value }
    : refuse(campaign.reason);
}

/** "alert creator retention below 50%": a creator's latest cohort against their own baseline. */
export function recognizeCreatorRetentionAlert(command: string): Recognized | undefined {
  const match =
    /^(?:set\s+(?:an?\s+)?)?alerts?\s+(?:me\s+)?(?:(?:when|if|on|for)\s+)?(?:a\s+)?creators?(?:'s)?\s+(?:week[-\s]?2\s+)?retention\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const share = readDropPercent(match[1] ?? "");
  if (!share.ok) {
    return refuse("Below what share of their own baseline? For example: alert creator retention below 50%.");
  }
  const campaign = readCampaignClause(share.value.rest, "alert creator retention below 50%");
  if (!campaign.ok) return refuse(campaign.reason);
  return {
    kind: "alertSettings",
    rule: "creatorRetention",
    percent: share.value.percent,
    campaign: campaign.value,
  };
}

function readDropPercent(text: string): Outcome<{ percent: number; rest: string }> {
  const match =
    /^(?:(?:by|of|over|more\s+than|at\s+least|above|below|under)\s+)*(-?\d+(?:[.,]\d+)?)\s*(?:%|percent|pct)?(?=\s|$)\s*(.*)$/i.exec(
      text,
    );
  if (!match) {
    const typed = text.split(" ")[0] ?? "";
    return failure(
      typed === ""
        ? "How big a drop should alert? For example: alert longevity drop 30% (25% is the default)."
        : `“${typed}” is not a percentage: try alert longevity drop 30%.`,
    );
  }
  const [, amount = "", rest = ""] = match;
  const percent = Number(amount.replace(",", "."));
  if (percent < MIN_DROP_PERCENT || percent > MAX_DROP_PERCENT) {
    return failure(
      `A drop of ${amount}% can't be alerted on: pick ${MIN_DROP_PERCENT}% to ${MAX_DROP_PERCENT}%.`,
    );
  }
  return success({ percent, rest });
}

/** "subscriptions", "list subscriptions", "what are we subscribed to". */
export function recognizeSubscriptions(command: string): Recognized | undefined {
  const listed =
    /^(?:(?:list|show|show\s+me|see|view|get|my|our|all|the|channel|current|active)\s+)*subscriptions?$/i.test(
      command,
    ) || /^what(?:'s|\s+is|\s+are)?\s+(?:we|i|this\s+channel)\s+subscribed\s+to$/i.test(command);
  return listed ? { kind: "subscriptions" } : undefined;
}

/** "unsubscribe", "unsubscribe from spring-launch", "stop the digest". */
export function recognizeUnsubscribe(command: string): Recognized | undefined {
  const match = /^(?:unsubscribe|stop\s+(?:the\s+)?(?:(?:weekly|daily)\s+)?digests?)(?=\s|$)\s*(.*)$/i.exec(
    command,
  );
  if (!match) return undefined;
  const rest = (match[1] ?? "")
    .replace(/^(?:me|us|this\s+channel)(?=\s|$)\s*/i, "")
    .replace(/^from\s+(?:the\s+)?(?:(?:weekly|daily)\s+)?digests?(?=\s|$)\s*/i, "");
  const campaign = readCampaignClause(rest, "unsubscribe");
  return campaign.ok ? { kind: "unsubscribe", campaign: campaign.value } : refuse(campaign.reason);
}

/** "subscribe weekly mon 09:00 campaign spring-launch", "subscribe daily 08:30", `subscribe cron "0 9 * * 1"`. */
export function recognizeSubscribe(command: string): Recognized | undefined {
  const match = /^subscribe(?=\s|$)\s*(.*)$/i.exec(command);
  if (!match) return undefined;
  const rest = withoutDigestWords(
    (match[1] ?? "").replace(/^(?:me|us|this\s+channel|the\s+channel)(?=\s|$)\s*/i, ""),
  );
  if (rest === "") return refuse(`When should the digest arrive? ${SCHEDULE_EXAMPLES}`);
  const schedule = readSchedule(rest);
  if (!schedule.ok) return refuse(schedule.reason);
  const campaign = readCampaignClause(schedule.value.rest, "subscribe");
  if (!campaign.ok) return refuse(campaign.reason);
  return { kind: "subscribe", schedule: schedule.value.schedule, campaign: campaign.value };
}

/** "to the weekly digest mon 09:00" → "weekly mon 09:00". */
function withoutDigestWords(text: string): string {
  const match = /^(?:to\s+)?(?:the\s+)?(?:(weekly|daily)\s+)?digests?(?=\s|$)\s*(.*)$/i.exec(text);
  return match ? `${match[1] ?? ""} ${match[2] ?? ""}`.trim() : text;
}

interface ScheduleStep {
  schedule: Schedule;
  rest: string;
}

function readSchedule(text: string): Outcome<ScheduleStep> {
  const cron = /^cron(?=\s|$)\s*(.*)$/i.exec(text);
  if (cron) return readCron(cron[1] ?? "");
  const daily = /^(?:daily|every\s+day|each\s+day)(?=\s|$)\s*(.*)$/i.exec(text);
  if (daily) return readTime(daily[1] ?? "", (time) => ({ kind: "daily", time }));
  const weekly = /^weekly(?=\s|$)\s*(?:(?:on|every|each)\s+)?(.*)$/i.exec(text);
  if (weekly) return readWeekly(weekly[1] ?? "");
  const dayFirst = /^(?:(?:on|every|each)\s+)?(\S+)/i.exec(text);
  if (dayFirst && weekdayFromText(dayFirst[1] ?? ""))
    return readWeekly(text.replace(/^(?:on|every|each)\s+/i, ""));
  return failure(`I can't read the schedule “${text}”. ${SCHEDULE_EXAMPLES}`);
}

function readWeekly(text: string): Outcome<ScheduleStep> {
  const [dayWord = "", ...rest] = text.split(" ");
  if (dayWord === "") return failure("Which day of the week? For example: subscribe weekly mon 09:00.");
  const day = weekdayOrReason(dayWord);
  if (!day.ok) return day;
  return readTime(rest.join(" "), (time) => ({ kind: "weekly", day: day.value, time }));
}

function readTime(text: string, scheduleAt: (time: string) => Schedule): Outcome<ScheduleStep> {
  const match = /^(?:at\s+)?(\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm))?(?=\s|$)|\S+)\s*(.*)$/i.exec(text);
  if (!match) return failure("At what time? For example: subscribe weekly mon 09:00.");
  const [, typedTime = "", rest = ""] = match;
  const time = timeOfDayOrReason(typedTime);
  return time.ok ? success({ schedule: scheduleAt(time.value), rest }) : time;
}

function readCron(text: string): Outcome<ScheduleStep> {
  const quoted = /^("[^"]*"|'[^']*')\s*(.*)$/.exec(text);
  const [expression, rest] = quoted
    ? [unquoted(quoted[1] ?? ""), quoted[2] ?? ""]
    : splitBeforeCampaign(text);
  const fields = cronFields(expression);
  if (fields.length !== 5 && fields.length !== 6) {
    return failure(
      `A cron expression has 5 or 6 fields, like "0 9 * * 1"; “${expression}” has ${fields.length}.`,
    );
  }
  return success({ schedule: { kind: "cron", expression: fields.join(" ") }, rest });
}

/** An unquoted cron expression runs until a campaign clause. */
function splitBeforeCampaign(text: string): [expression: string, rest: string] {
  const clauseAt = text.search(/\s(?:campaign|for|in)\s/i);
  return clauseAt === -1 ? [text, ""] : [text.slice(0, clauseAt), text.slice(clauseAt + 1)];
}
