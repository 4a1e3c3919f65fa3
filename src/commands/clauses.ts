import { failure, type Outcome, success } from "./outcome.ts";
import { MAX_PERIOD_DAYS, type Period } from "./period.ts";
import { understoodButNot } from "./recognized.ts";

/** The optional parts that can follow a command, in any order. */
export interface Clauses {
  campaign?: string;
  period?: Period;
  /** The words after "by", not yet looked up. */
  metricText?: string;
}

export type ClauseKind = keyof Clauses;

/** A campaign name: quoted (then it may hold spaces) or a single word. */
const NAME = String.raw`(?:"([^"]*)"|'([^']*)'|([^\s"]+))`;
const PERIOD_LEAD = String.raw`^(?:(?:in|during|over|for|from)\s+)?(?:the\s+)?`;

const NAMED_PERIOD = new RegExp(
  String.raw`${PERIOD_LEAD}(this|current|last|previous|past)\s+(week|month)(?=\s|$)`,
  "i",
);
const COUNTED_PERIOD = new RegExp(
  String.raw`${PERIOD_LEAD}(?:last|past|previous)\s+(\d+)\s*(days?|d|weeks?|w|months?|years?)(?=\s|$)`,
  "i",
);
const CAMPAIGN_BY_KEYWORD = new RegExp(
  String.raw`^(?:(?:in|for|from|of|during|within|on)\s+)?(?:the\s+)?campaign\s+${NAME}(?=\s|$)`,
  "i",
);
const CAMPAIGN_BY_PREPOSITION = new RegExp(
  String.raw`^(?:in|for|from|within)\s+(?:the\s+)?${NAME}(?:\s+campaign)?(?=\s|$)`,
  "i",
);
const ONLY_A_NAME = new RegExp(`^${NAME}$`);
const METRIC_LEAD =
  /^(?:by|ranked\s+by|sorted\s+by|in\s+terms\s+of|with\s+the\s+(?:best|highest|most|longest|lowest))\s+/i;
/** Words that end a metric phrase because a campaign or period clause starts there. */
const CLAUSE_START = /^(?:in|for|from|during|over|within|this|last|past|previous|current|campaign)$/i;

interface ClauseStep {
  clause: Clauses;
  rest: string;
}

type ClauseReader = (text: string) => Outcome<ClauseStep> | undefined;

/** Periods first, so that "in the past week" is not read as the campaign "past". */
const READING_ORDER: readonly ClauseKind[] = ["period", "campaign", "metricText"];

const READERS: Readonly<Record<ClauseKind, ClauseReader>> = {
  period: readPeriod,
  campaign: readCampaign,
  metricText: readMetricText,
};

/**
 * Reads `text` as a sequence of the accepted clauses, each at most once. `command` names what
 * was understood so far, for the reason when something is left over.
 */
export function readClauses(
  text: string,
  accepted: readonly ClauseKind[],
  command: string,
): Outcome<Clauses> {
  let clauses: Clauses = {};
  let rest = text.trim();
  while (rest !== "") {
    const step = readNextClause(rest, accepted, clauses);
    if (step === undefined) return failure(leftoverReason(command, rest, clauses));
    if (!step.ok) return step;
    clauses = { ...clauses, ...step.value.clause };
    rest = step.value.rest.trim();
  }
  return success(clauses);
}

/** Campaign clauses, or the whole text as one campaign name ("digest spring-launch"). */
export function readCampaignClause(text: string, command: string): Outcome<string | undefined> {
  const clauses = readClauses(text, ["campaign"], command);
  if (clauses.ok) return success(clauses.value.campaign);
  const bareName = ONLY_A_NAME.exec(text.trim());
  const name = bareName ? nameFrom(bareName) : "";
  return name === "" ? clauses : success(name);
}

/** Splits "half-life in spring-launch" into the metric phrase and the clauses after it. */
export function splitAtClause(text: string): [phrase: string, rest: string] {
  const words = text.trim().split(" ");
  const clauseAt = words.findIndex((word, index) => index > 0 && CLAUSE_START.test(word));
  if (clauseAt === -1) return [words.join(" "), ""];
  return [words.slice(0, clauseAt).join(" "), words.slice(clauseAt).join(" ")];
}

/** A campaign name without the quotes around it. */
export function unquoted(text: string): string {
  const quoted = /^"([^"]*)"$|^'([^']*)'$/.exec(text.trim());
  return (quoted ? (quoted[1] ?? quoted[2] ?? "") : text).trim();
}

function readNextClause(
  text: string,
  accepted: readonly ClauseKind[],
  clauses: Clauses,
): Outcome<ClauseStep> | undefined {
  for (const kind of READING_ORDER) {
    if (!accepted.includes(kind) || clauses[kind] !== undefined) continue;
    const step = READERS[kind](text);
    if (step) return step;
  }
  return undefined;
}

function readPeriod(text: string): Outcome<ClauseStep> | undefined {
  const named = NAMED_PERIOD.exec(text);
  if (named) {
    const period = namedPeriod(named[1] ?? "", named[2] ?? "");
    return success({ clause: { period }, rest: after(text, named) });
  }
  const counted = COUNTED_PERIOD.exec(text);
  if (!counted) return undefined;
  const period = countedPeriod(Number(counted[1]), counted[2] ?? "");
  return period.ok ? success({ clause: { period: period.value }, rest: after(text, counted) }) : period;
}

function namedPeriod(which: string, unit: string): Period {
  const current = /^(?:this|current)$/i.test(which);
  const isWeek = unit.toLowerCase() === "week";
  // "past week" is the rolling seven days; "last week" is the calendar week before this one.
  if (which.toLowerCase() === "past") return { kind: "lastDays", days: isWeek ? 7 : 30 };
  if (isWeek) return { kind: current ? "thisWeek" : "lastWeek" };
  return { kind: current ? "thisMonth" : "lastMonth" };
}

function countedPeriod(count: number, unit: string): Outcome<Period> {
  if (/^(?:months?|years?)$/i.test(unit)) {
    return failure("I count longer periods in days: try “last 90 days”, or “this month” and “last month”.");
  }
  const days = /^w/i.test(unit) ? count * 7 : count;
  if (days < 1 || days > MAX_PERIOD_DAYS) {
    return failure(`A period runs from 1 to ${MAX_PERIOD_DAYS} days; “last ${count} ${unit}” does not.`);
  }
  return success({ kind: "lastDays", days });
}

function readCampaign(text: string): Outcome<ClauseStep> | undefined {
  const match = CAMPAIGN_BY_KEYWORD.exec(text) ?? CAMPAIGN_BY_PREPOSITION.exec(text);
  if (!match) return undefined;
  const name = nameFrom(match);
  if (name === "") return failure("That campaign name is empty: write it like campaign spring-launch.");
  return success({ clause: { campaign: name }, rest: after(text, match) });
}

function readMetricText(text: string): Outcome<ClauseStep> | undefined {
  const lead = METRIC_LEAD.exec(text);
  if (!lead) return undefined;
  const [phrase, rest] = splitAtClause(after(text, lead));
  return success({ clause: { metricText: phrase }, rest });
}

/** The name captured by NAME: the quoted text, or the word (a Slack channel link's # dropped). */
function nameFrom(match: RegExpExecArray): string {
  return (match[1] ?? match[2] ?? match[3] ?? "").trim().replace(/^#(?=\S)/, "");
}

function after(text: string, match: RegExpExecArray): string {
  return text.slice(match[0].length);
}

function leftoverReason(command: string, leftover: string, clauses: Clauses): string {
  const quoteHint = clauses.campaign
    ? ' Put campaign names with spaces in quotes, like `campaign "spring launch"`.'
    : "";
  return `${understoodButNot(command, leftover)}${quoteHint}`;
}
