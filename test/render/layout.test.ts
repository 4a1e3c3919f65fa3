import { describe, expect, it } from "vitest";
import type { Counter } from "../../src/metrics/types.ts";
import { layoutHome, layoutView } from "../../src/render/layout.ts";
import { creatorNotFound, creatorProfile, givenOn, longevityAlerts, newCreatorProfile } from "./fixtures.ts";

/** The platform-neutral sections every renderer walks (Slack, Teams, text). */
describe("layoutView", () => {
  it("a creator card: title, context, the two columns, the tier median rows, campaigns, curve note, chart", () => {
    const { summary, sections } = layoutView(creatorProfile);
    expect(summary).toBe("@anna.bakes (micro): 4,321 clicks · week-2 retention 25%");
    expect(sections.map((section) => section.kind)).toEqual([
      "title",
      "context",
      "columns",
      "rows",
      "context",
      "context",
      "chart",
    ]);
    const rows = sections.find((section) => section.kind === "rows");
    expect(rows?.kind === "rows" && rows.rows[0]).toEqual({
      label: "Week-2 retention",
      value: "25%",
      known: true,
      versusMedian: { median: "20%", trend: "up" },
    });
  });

  it("rows carry their basis and whether the value is known, never a formatted placeholder as data", () => {
    const columns = layoutView(newCreatorProfile).sections.find((section) => section.kind === "columns");
    const lasting = columns?.kind === "columns" ? columns.columns[1] : [];
    expect(lasting.find((cell) => !Array.isArray(cell) && cell.label === "Week-2 retention")).toEqual({
      label: "Week-2 retention",
      value: "not enough history yet",
      known: false,
    });
  });

  it("suggestions are intents, and an alert's campaign button asks for the campaign report", () => {
    const actions = layoutView(creatorNotFound).sections.find((section) => section.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions).toEqual([
      { label: "@anna.bakes", ask: { kind: "creator", handle: "anna.bakes" }, purpose: "suggestion" },
      { label: "@ana_cooks", ask: { kind: "creator", handle: "ana_cooks" }, purpose: "suggestion" },
    ]);
    const alert = layoutView(longevityAlerts)
      .sections.filter((section) => section.kind === "text")
      .at(-1);
    expect(alert?.kind === "text" && alert.action).toEqual({
      label: "Open campaign report",
      ask: { kind: "campaign", name: "spring launch" },
      purpose: "openCampaign",
    });
  });

  it("a home screen names channels as data", () => {
    const { sections } = layoutHome({
      kind: "home",
      digest: null,
      alerts: null,
      subscriptions: [],
      problems: [
        { kind: "stopped", channel: { platform: "teams", id: "19:x" }, reason: "the bot was removed" },
      ],
    });
    const attention = sections.findIndex(
      (section) => section.kind === "title" && section.text === "Needs attention",
    );
    expect(sections[attention + 1]).toEqual({
      kind: "text",
      lines: [
        [
          { icon: "warning" },
          " The digest to ",
          { channel: { platform: "teams", id: "19:x" } },
          " stopped: the bot was removed.",
        ],
      ],
    });
  });
});

describe("the note on counters not given", () => {
  const basis = (given: Partial<Record<Counter, number>>) => ({
    ...creatorProfile.basis,
    observed: 20,
    given: { ...givenOn(20), ...given },
  });
  const noteOf = (given: Partial<Record<Counter, number>>) =>
    layoutView({ ...creatorProfile, basis: basis(given) }).sections.find(
      (section) =>
        section.kind === "context" && section.line.some((span) => typeof span === "object" && "note" in span),
    );

  it("names the parts of E not given on some posts, and the rates' inputs, grouped by how many posts", () => {
    expect(noteOf({ shares: 8, saves: 0, reach: 8, impressions: 8, views: 0, redemptions: 0 })).toEqual({
      kind: "context",
      line: [
        {
          note:
            "Engagements count likes and comments; saves were not collected; shares were not given on 12 of 20 posts. " +
            "Impressions and reach were not given on 12 of 20 posts.",
        },
      ],
    });
  });

  it("says 'was' for reach alone, 'were' for a plural counter alone", () => {
    expect(noteOf({ reach: 19 })).toEqual({
      kind: "context",
      line: [{ note: "Reach was not given on 1 of 20 posts." }],
    });
    expect(noteOf({ clicks: 0 })).toEqual({
      kind: "context",
      line: [{ note: "Clicks were not collected." }],
    });
  });

  it("is left out when every post gives every part of E and every rate input", () => {
    expect(noteOf({ views: 0, redemptions: 3 })).toBeUndefined();
  });
});
