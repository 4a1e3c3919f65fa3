import { TIERS, type Tier } from "../metrics/types.ts";
import { readClauses, splitAtClause } from "./clauses.ts";
import { MAX_TOP_COUNT } from "./intent.ts";
import { METRICS, type MetricKey, metricFromText, metricTermsLike } from "./metricKeys.ts";
import { didYouMean, type Recognized, refuse, understoodButNot } from "./recognized.ts";
import { closestMatches } from "./suggest.ts";

type Entity = "creators" | "posts";

const ENTITY = "(creators?|influencers?|accounts?|people|posts?|videos?|reels?|content)";
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};
const COUNT = String.raw`(\d+|${Object.keys(NUMBER_WORDS).join("|")})`;

/** "top 5 creators by longevity in spring-launch", "best 3 posts by half-life this month". */
const TOP_FIRST = new RegExp(
  String.raw`^(?:(?:show(?:\s+me)?|give\s+me|list|get|what\s+are|who\s+are|which\s+are)\s+)?(?:the\s+)?` +
    String.raw`(?:top|best|highest|leading)(?:[\s-]*${COUNT})?(?:\s+${ENTITY})?(?=\s|$)\s*(.*)$`,
  "i",
);
/** "who has the best longevity this month", "which posts have the longest half-life". */
const WHO_FIRST = new RegExp(
  String.raw`^(?:who|which\s+${ENTITY})(?:'s|\s+is|\s+are|\s+has|\s+have|\s+had|\s+gets?|\s+got)?(?:\s+got)?\s+` +
    String.raw`(?:the\s+)?(?:best|highest|most|longest|lowest|top|strongest|greatest)\s+(.*)$`,
  "i",
);

export function recognizeTop(command: string): Recognized | undefined {
  const topFirst = TOP_FIRST.exec(command);
  if (topFirst) {
    const [, count, entityWord, rest = ""] = topFirst;
    return topIntent({ count, entityWord, metricFirst: false, rest });
  }
  const whoFirst = WHO_FIRST.exec(command);
  if (!whoFirst) return undefined;
  const [, entityWord, rest = ""] = whoFirst;
  return topIntent({ count: undefined, entityWord, metricFirst: !/^by\s/i.test(rest), rest });
}

interface TopWords {
  count: string | undefined;
  entityWord: string | undefined;
  /** True when the metric comes straight after the head ("the best longevity"), without "by". */
  metricFirst: boolean;
  rest: string;
}

function topIntent({ count, entityWord, metricFirst, rest }: TopWords): Recognized {
  const entity = entityFrom(entityWord);
  const n = count === undefined ? undefined : (NUMBER_WORDS[count.toLowerCase()] ?? Number(count));
  if (n !== undefined && (n < 1 || n > MAX_TOP_COUNT)) {
    return refuse(`I can rank 1 to ${MAX_TOP_COUNT} ${entity}, not ${n}.`);
  }
  const [leadingMetric, clauseText] = metricFirst ? splitAtClause(rest) : [undefined, rest];
  const clauses = readClauses(clauseText, ["metricText", "campaign", "period"], "top");
  if (!clauses.ok) return refuse(clauses.reason);
  const metricText = leadingMetric ?? clauses.value.metricText;
  if (metricText === undefined) {
    return refuse(
      `Rank by which metric? For example: top 5 ${entity} by longevity. Metrics: ${metricList()}.`,
    );
  }
  const { metric, named, leftover } = metricAtStartOf(metricText);
  if (metric === undefined) return refuse(unknownMetricReason(metricText));
  if (leftover !== "") return refuse(understoodButNot(`top ${entity} by ${named}`, leftover));
  const { campaign, period } = clauses.value;
  return { kind: "top", n, entity, metric, campaign, period };
}

/** The longest run of leading words that names a metric: "clicks blah" → clicks, "blah". */
function metricAtStartOf(phrase: string): { metric: MetricKey | undefined; named: string; leftover: string } {
  const words = phrase.split(" ");
  for (let count = words.length; count > 0; count--) {
    const named = words.slice(0, count).join(" ");
    const metric = metricFromText(named);
    if (metric !== undefined) return { metric, named, leftover: words.slice(count).join(" ") };
  }
  return { metric: undefined, named: "", leftover: phrase };
}

function entityFrom(word: string | undefined): Entity {
  return word !== undefined && /^(?:posts?|videos?|reels?|content)$/i.test(word) ? "posts" : "creators";
}

function unknownMetricReason(text: string): string {
  const guesses = metricTermsLike(text);
  const hint = guesses.length > 0 ? didYouMean(guesses) : ` Try one of: ${metricList()}.`;
  return `I know \`top\`, but not the metric “${text}”.${hint}`;
}

function metricList(): string {
  return METRICS.map((metric) => metric.term).join(", ");
}

/** "compare tiers", "compare micro vs macro", "compare nano, micro and mid". */
export function recognizeCompare(command: string): Recognized | undefined {
  const match = /^compare(?=\s|$)\s*(.*)$/i.exec(command);
  return match ? compareIntent(match[1] ?? "") : undefined;
}

/** "micro vs macro" without the word compare. */
export function recognizeVersus(command: string): Recognized | undefined {
  return /^\S+\s+(?:vs\.?|versus|v\.?)\s+/i.test(command) ? compareIntent(command) : undefined;
}

function compareIntent(text: string): Recognized {
  const list = text.replace(/^(?:(?:all|the)\s+)*tiers?(?=\s|$)\s*:?\s*/i, "").trim();
  if (list === "") return { kind: "compareTiers" };
  const tiers: Tier[] = [];
  for (const word of list.split(/\s*,\s*|\s+(?:vs\.?|versus|v\.?|and|&|with|against|or|to)\s+/i)) {
    const tier = tierFromText(word);
    if (tier === undefined) return refuse(unknownTierReason(word));
    if (!tiers.includes(tier)) tiers.push(tier);
  }
  if (tiers.length < 2) {
    return refuse(
      "Name at least two different tiers, like compare micro vs macro, or say compare tiers for all.",
    );
  }
  return { kind: "compareTiers", tiers };
}

/** "micro", "Micros", "micro-influencers", "mid tier" → the tier. */
function tierFromText(word: string): Tier | undefined {
  const base = word
    .toLowerCase()
    .replace(/^the\s+/, "")
    .replace(/[-\s]*(?:influencers?|creators?|tiers?)$/, "")
    .replace(/s$/, "");
  return TIERS.find((tier) => tier === base);
}

function unknownTierReason(word: string): string {
  const guesses = closestMatches(word, [...TIERS]);
  return `“${word}” is not a tier.${didYouMean(guesses)} Tiers: ${TIERS.join(", ")}.`;
}
