import { z } from "zod";
import type { DirectMetrics, SustainedMetrics } from "../metrics/types.ts";
import { closestMatches } from "./suggest.ts";

/** The metrics a ranking can sort by: each is a field of DirectMetrics or SustainedMetrics. */
export const METRIC_KEYS = [
  "longevity",
  "halfLifeDays",
  "week2Retention",
  "sustainedEngagements",
  "costPerSustainedEngagement",
  "saveShareRate",
  "engagementRateByFollowers",
  "engagements",
  "cpe",
  "emv",
  "clicks",
  "ctr",
  "cpc",
  "cpa",
  "roas",
  "conversions",
  "revenue",
  "redemptions",
  "clickFrontLoading",
] as const satisfies readonly (keyof DirectMetrics | keyof SustainedMetrics)[];

export type MetricKey = (typeof METRIC_KEYS)[number];

export const metricKeySchema = z.enum(METRIC_KEYS);

/** Which end of a ranking is "top". */
export type MetricDirection = "higherIsBetter" | "lowerIsBetter";

/** How a metric's value reads: a count, an amount of money, a share, a plain ratio or days. */
export type MetricFormat = "count" | "money" | "percent" | "ratio" | "days";

/**
 * The metric catalogue: one entry per metric, read by the parser (label, term, synonyms), the
 * rankings (direction), every renderer (label, short label, format) and the help.
 */
export interface MetricDefinition {
  key: MetricKey;
  /** The one name every platform shows. */
  label: string;
  /** For narrow table columns. */
  shortLabel: string;
  format: MetricFormat;
  /** How much history a post needs before it has this metric ("14 days"); null: from the start. */
  needs: string | null;
  direction: MetricDirection;
  /** The word help and suggestions show. */
  term: string;
  /** Other phrases people type for it. */
  synonyms: readonly string[];
}

const DEFINITIONS: Record<MetricKey, Omit<MetricDefinition, "key">> = {
  longevity: {
    label: "Longevity",
    shortLabel: "Longevity",
    format: "percent",
    needs: "28 days",
    term: "longevity",
    direction: "higherIsBetter",
    synonyms: [],
  },
  halfLifeDays: {
    label: "Half-life",
    shortLabel: "Half-life",
    format: "days",
    needs: "28 days",
    term: "half-life",
    direction: "higherIsBetter",
    synonyms: ["half life", "halflife", "engagement half-life", "half-life (days)"],
  },
  week2Retention: {
    label: "Week-2 retention",
    shortLabel: "Week-2 ret.",
    format: "percent",
    needs: "14 days",
    term: "retention",
    direction: "higherIsBetter",
    synonyms: ["week-2 retention", "week 2 retention", "week2 retention"],
  },
  sustainedEngagements: {
    label: "Sustained engagements",
    shortLabel: "Sustained",
    format: "count",
    needs: "28 days",
    term: "sustained engagements",
    direction: "higherIsBetter",
    synonyms: ["sustained"],
  },
  costPerSustainedEngagement: {
    label: "Cost per sustained engagement",
    shortLabel: "Cost/sustained",
    format: "money",
    needs: "28 days",
    term: "cost per sustained engagement",
    direction: "lowerIsBetter",
    synonyms: ["cpse"],
  },
  saveShareRate: {
    label: "Save-and-share rate",
    shortLabel: "Save/share",
    format: "percent",
    needs: null,
    term: "save-share rate",
    direction: "higherIsBetter",
    synonyms: ["saves and shares", "save-and-share rate"],
  },
  engagementRateByFollowers: {
    label: "Engagement rate",
    shortLabel: "Eng. rate",
    format: "percent",
    needs: null,
    term: "engagement rate",
    direction: "higherIsBetter",
    synonyms: ["er", "engagement rate by followers"],
  },
  engagements: {
    label: "Engagements",
    shortLabel: "Engagements",
    format: "count",
    needs: null,
    term: "engagements",
    direction: "higherIsBetter",
    synonyms: [],
  },
  cpe: {
    label: "CPE",
    shortLabel: "CPE",
    format: "money",
    needs: null,
    term: "cpe",
    direction: "lowerIsBetter",
    synonyms: ["cost per engagement"],
  },
  emv: {
    label: "Earned media value",
    shortLabel: "EMV",
    format: "money",
    needs: null,
    term: "emv",
    direction: "higherIsBetter",
    synonyms: ["earned media value"],
  },
  clicks: {
    label: "Clicks",
    shortLabel: "Clicks",
    format: "count",
    needs: null,
    term: "clicks",
    direction: "higherIsBetter",
    synonyms: [],
  },
  ctr: {
    label: "CTR",
    shortLabel: "CTR",
    format: "percent",
    needs: null,
    term: "ctr",
    direction: "higherIsBetter",
    synonyms: ["click-through rate"],
  },
  cpc: {
    label: "CPC",
    shortLabel: "CPC",
    format: "money",
    needs: null,
    term: "cpc",
    direction: "lowerIsBetter",
    synonyms: ["cost per click"],
  },
  cpa: {
    label: "CPA",
    shortLabel: "CPA",
    format: "money",
    needs: null,
    term: "cpa",
    direction: "lowerIsBetter",
    synonyms: ["cost per acquisition", "cost per conversion"],
  },
  roas: {
    label: "ROAS",
    shortLabel: "ROAS",
    format: "ratio",
    needs: null,
    term: "roas",
    direction: "higherIsBetter",
    synonyms: ["return on ad spend"],
  },
  conversions: {
    label: "Conversions",
    shortLabel: "Conversions",
    format: "count",
    needs: null,
    term: "conversions",
    direction: "higherIsBetter",
    synonyms: [],
  },
  revenue: {
    label: "Revenue",
    shortLabel: "Revenue",
    format: "money",
    needs: null,
    term: "revenue",
    direction: "higherIsBetter",
    synonyms: [],
  },
  redemptions: {
    label: "Code redemptions",
    shortLabel: "Redemptions",
    format: "count",
    needs: null,
    term: "redemptions",
    direction: "higherIsBetter",
    synonyms: ["code redemptions"],
  },
  clickFrontLoading: {
    label: "Clicks in the first 3 days",
    shortLabel: "Front-loading",
    format: "percent",
    needs: "3 days",
    term: "front-loading",
    // A smaller share of clicks in the first three days means the post keeps working.
    direction: "lowerIsBetter",
    synonyms: ["click front-loading"],
  },
};

/** Every rankable metric, sustained ones first: they are what this bot exists to show. */
export const METRICS: readonly MetricDefinition[] = METRIC_KEYS.map((key) => ({ key, ...DEFINITIONS[key] }));

export function metricDefinition(key: MetricKey): MetricDefinition {
  return { key, ...DEFINITIONS[key] };
}

/** Figures shown beside the metrics that no ranking sorts by: one label each, from here too. */
export const FIGURE_LABELS = {
  fee: "Fee",
  evergreenPosts: "Evergreen posts",
  medianHalfLife: "Half-life (median)",
  postsPublished: "Posts published",
} as const;

/** A metric for each unit of fee paid: "Clicks per EUR". */
export function perFeeLabel(key: MetricKey, currency: string): string {
  return `${DEFINITIONS[key].label} per ${currency}`;
}

/** A metric averaged over posts, as a chart series: "Clicks per post". */
export function perPostLabel(key: MetricKey): string {
  return `${DEFINITIONS[key].label} per post`;
}

const METRIC_BY_PHRASE: ReadonlyMap<string, MetricKey> = new Map(
  METRICS.flatMap((metric) =>
    [metric.key, metric.label, metric.term, ...metric.synonyms].map(
      (phrase) => [comparablePhrase(phrase), metric.key] as const,
    ),
  ),
);

/** The metric a phrase names ("Half life", "sustained engagement", "CPSE"), if any. */
export function metricFromText(text: string): MetricKey | undefined {
  const phrase = comparablePhrase(text);
  const singularOrPlural = phrase.endsWith("s") ? phrase.slice(0, -1) : `${phrase}s`;
  return METRIC_BY_PHRASE.get(phrase) ?? METRIC_BY_PHRASE.get(singularOrPlural);
}

/** The terms of up to three metrics whose words are close to a phrase that named none. */
export function metricTermsLike(text: string): string[] {
  const phrases = METRICS.flatMap((metric) => [metric.term, ...metric.synonyms]);
  const keys = closestMatches(text, phrases, 10).flatMap((phrase) => metricFromText(phrase) ?? []);
  return [...new Set(keys)].slice(0, 3).map((key) => DEFINITIONS[key].term);
}

/** Lower-case, `-`, `_` and brackets as spaces, one space between words, no leading "the". */
function comparablePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[-_()]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^the /, "");
}
