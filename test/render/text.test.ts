import { describe, expect, it } from "vitest";
import type { SubscriptionsView } from "../../src/insights/viewModels.ts";
import { renderText, textCommand } from "../../src/render/text.ts";
import { creatorNotFound, creatorProfile, emptyTop, message, top } from "./fixtures.ts";

/** The CLI's output (`longtail ask`, `longtail digest`): the layout walked as plain text. */
describe("renderText", () => {
  it("a creator card: title, context, the two columns side by side, the tier median, the curve's posts", () => {
    const lines = renderText(creatorProfile).split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "@anna.bakes",
      "micro · 12,400 followers · 18 posts · instagram · as of Mar 30, 2026",
      "",
      "Direct — easy to count                   Lasting — what keeps earning",
      "Clicks                      4,321        Engagements                    25,600",
    ]);
    expect(lines).toContain(
      "CPC                         €0.29        Week-2 retention               25% (15 of 18 posts)",
    );
    expect(lines).toContain("  Half-life                      3 d    tier median 3 d =");
    expect(lines).toContain("  CTR                            2%     no tier median yet");
    expect(lines.at(-1)).toBe("Engagements per post over time: the same 12 posts from day 1 to day 28.");
  });

  it("says which creator it took for a name that matched only one", () => {
    const lines = renderText({ ...creatorProfile, resolvedFrom: "anna" }).split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "@anna.bakes",
      "Showing @anna.bakes: the one creator whose handle matches “anna”.",
    ]);
  });

  it("a ranking: pluralised counts, one line per row", () => {
    expect(renderText(top).split("\n").slice(0, 4)).toEqual([
      "Top 5 creators by Longevity",
      "in spring-launch · published Mar 1, 2026 – Mar 30, 2026 · as of Mar 30, 2026",
      "",
      "1. @creator1 — 50% · 1 post · 500 clicks · sustained: not enough history yet",
    ]);
    expect(renderText(emptyTop).split("\n")[0]).toBe("No creators with Longevity yet");
  });

  it("an empty workspace says to import data first, not “Top 0 creators”", () => {
    expect(renderText({ ...top, campaign: null, period: null, rows: [], withoutValue: 0 })).toBe(
      "· No creators yet in workspace acme\n\n" +
        "Import some data from a terminal:\nlongtail import posts.csv --workspace acme\nor send it to the HTTP ingest API.",
    );
  });

  it("did you mean: the suggestions as the CLI command to type", () => {
    expect(renderText(creatorNotFound)).toBe(
      "I don't know @anna.bake. Did you mean @anna.bakes, @ana_cooks?\n\n" +
        'Ask: longtail ask "creator @anna.bakes" · longtail ask "creator @ana_cooks"',
    );
  });

  it("a confirmation with what to ask next, and a failure with its reference", () => {
    expect(renderText({ ...message, next: [{ lead: "Stop it with", ask: { kind: "unsubscribe" } }] })).toBe(
      '✓ Subscribed #marketing to the weekly digest\nEvery Monday at 09:00 (Europe/Amsterdam).\nStop it with longtail ask "unsubscribe".',
    );
    expect(
      renderText({
        kind: "message",
        tone: "error",
        title: "Something went wrong on my side",
        lines: [],
        reference: "ab12cd34",
      }),
    ).toBe(
      "! Something went wrong on my side\nIf it keeps happening, give your Longtail admin this reference: ab12cd34",
    );
  });

  it("subscriptions name Slack channels as #id and Teams conversations as such", () => {
    const view: SubscriptionsView = {
      kind: "subscriptions",
      workspace: top.workspace,
      asOf: top.asOf,
      subscriptions: [
        {
          channel: { platform: "slack", id: "C0123" },
          schedule: "weekly mon 09:00",
          timezone: "UTC",
          campaign: null,
          nextRunAt: "2026-04-06T09:00:00.000Z",
          stopped: null,
        },
      ],
      alertRules: [
        {
          channel: { platform: "teams", id: "19:abc" },
          rule: "evergreen",
          threshold: 0.25,
          campaign: "spring",
          stopped: "the bot was removed",
        },
      ],
    };
    expect(renderText(view).split("\n").slice(1)).toEqual([
      "Digest → #C0123: weekly mon 09:00 (UTC), next Apr 6, 2026, 9:00 AM",
      "Alert → Teams conversation 19:abc: a post goes evergreen, spring — stopped: the bot was removed",
    ]);
  });

  it("quotes a question that has quotes of its own", () => {
    expect(textCommand({ kind: "campaign", name: "spring launch" })).toBe(
      `longtail ask 'campaign "spring launch"'`,
    );
  });
});
