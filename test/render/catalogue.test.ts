import type { SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  FIGURE_LABELS,
  METRIC_KEYS,
  METRICS,
  metricDefinition,
  perFeeLabel,
} from "../../src/commands/metricKeys.ts";
import type { TopView } from "../../src/insights/viewModels.ts";
import { formatterFor } from "../../src/render/format.ts";
import { layoutView } from "../../src/render/layout.ts";
import { renderSlack } from "../../src/render/slack.ts";
import { renderText } from "../../src/render/text.ts";
import { campaignReport, compareTiers, creatorProfile, top, weeklyDigest } from "./fixtures.ts";

const VALUE = 1234.5;
const f = formatterFor(top.workspace);

function rankedBy(key: (typeof METRIC_KEYS)[number]): TopView {
  const { label, direction } = metricDefinition(key);
  const [row] = top.rows;
  if (!row) throw new Error("the top fixture has no rows");
  return {
    ...top,
    campaign: null,
    period: null,
    metric: { key, label, higherIsBetter: direction === "higherIsBetter" },
    rows: [{ ...row, value: VALUE }],
    withoutValue: 0,
  };
}

describe("one metric catalogue for every renderer", () => {
  it.each(METRIC_KEYS)("%s: the CLI and Slack rank by the catalogue's label and format", (key) => {
    const { label, format } = metricDefinition(key);
    const value = f[format](VALUE);
    const slack = renderSlack(rankedBy(key));
    expect(slack.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: `Top 1 creator by ${label}`, emoji: true },
    });
    expect((slack.blocks[2] as SectionBlock).text?.text).toBe(
      `1. @creator1 — *${value}* · 1 post · 500 clicks · sustained: _not enough history yet_`,
    );
    const text = renderText(rankedBy(key)).split("\n");
    expect(text[0]).toBe(`Top 1 creator by ${label}`);
    expect(text[3]).toBe(`1. @creator1 — ${value} · 1 post · 500 clicks · sustained: not enough history yet`);
  });

  it("labels every metric of the side-by-side card as the catalogue does, in Slack and in the CLI", () => {
    const slack = JSON.stringify(renderSlack(creatorProfile).blocks);
    const text = renderText(creatorProfile);
    for (const key of METRIC_KEYS.filter((k) => k !== "cpa")) {
      const { label } = metricDefinition(key);
      expect(slack, key).toContain(`${label}: `);
      expect(text, key).toContain(`${label}  `);
    }
  });

  it("labels every row of every card from the catalogue: metrics, figures beside them, per-fee values", () => {
    const catalogue = new Set<string>([
      ...METRICS.map((metric) => metric.label),
      ...Object.values(FIGURE_LABELS),
      ...METRIC_KEYS.map((key) => perFeeLabel(key, "EUR")),
    ]);
    const rowLabels = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(rowLabels);
      if (typeof value !== "object" || value === null) return [];
      const own = "label" in value && "known" in value ? [String(value.label)] : [];
      return [...own, ...Object.values(value).flatMap(rowLabels)];
    };
    const labels = [creatorProfile, campaignReport, compareTiers, weeklyDigest].flatMap((view) =>
      rowLabels(layoutView(view)),
    );
    expect(labels.filter((label) => !catalogue.has(label))).toEqual([]);
    expect(labels).toEqual(
      expect.arrayContaining(["Fee", "Evergreen posts", "Clicks per EUR", "Half-life (median)"]),
    );
  });
});
