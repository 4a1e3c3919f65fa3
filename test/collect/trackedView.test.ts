import { describe, expect, it } from "vitest";
import type { TrackedRow, TrackedView } from "../../src/insights/viewModels.ts";
import { layoutView, MAX_TRACKED_LISTED } from "../../src/render/layout.ts";
import { renderSlack } from "../../src/render/slack.ts";
import { slackLimitProblems } from "../../src/render/slackLimits.ts";
import { cardBytes, MAX_CARD_BYTES, renderTeams } from "../../src/render/teams.ts";
import { renderText } from "../../src/render/text.ts";

const workspace = {
  slug: "acme",
  name: "Acme",
  currency: "EUR",
  locale: "en-GB",
  timezone: "Europe/Amsterdam",
  privateCharts: false,
};

function post(i: number): TrackedRow {
  return {
    platform: "instagram",
    url: `https://www.instagram.com/p/C${String(i).padStart(9, "0")}LongShortcodeXyz/`,
    handle: `creator.with.a.long.handle.${i}`,
    campaign: "spring-launch-2026-with-a-long-name",
    snapshots: 60 + i,
    lastCollectedAt: "2026-03-02T09:00:00.000Z",
    nextCollectionAt: "2026-03-03T09:00:00.000Z",
    stopped: null,
    lastError: "Instagram answered 429 and asked to wait before the next call to the Graph API.",
  };
}

const view = (posts: TrackedRow[], campaign: string | null = null): TrackedView => ({
  kind: "tracked",
  workspace,
  asOf: "2026-03-02T12:00:00.000Z",
  campaign,
  posts,
});

describe("the tracked card", () => {
  it("lists the first 20 posts and counts the rest, within Slack's and Teams' limits", () => {
    const many = view(Array.from({ length: MAX_TRACKED_LISTED + 3 }, (_, i) => post(i + 1)));
    const text = renderText(many).split("\n");
    expect(text[0]).toBe("Tracked posts (23)");
    expect(text.at(-1)).toBe("…and 3 more.");
    expect(text.filter((line) => line.startsWith("Instagram @"))).toHaveLength(20);
    expect(text[3]).toBe(
      "Instagram @creator.with.a.long.handle.1 https://www.instagram.com/p/C000000001LongShortcodeXyz/ · " +
        "spring-launch-2026-with-a-long-name · 61 snapshots · last 2 Mar 2026, 10:00, next 3 Mar 2026, 10:00 " +
        "(waiting: Instagram answered 429 and asked to wait before the next call to the Graph API.)",
    );
    expect(slackLimitProblems(renderSlack(many))).toEqual([]);
    const card = renderTeams(many);
    expect(card.summary).toBe("Tracked posts (23)");
    expect(cardBytes(card.card)).toBeLessThan(MAX_CARD_BYTES);
  });

  it("says how to start when nothing is tracked (in a campaign)", () => {
    expect(layoutView(view([], "spring-launch")).summary).toBe("No tracked posts in spring-launch yet.");
    expect(renderText(view([], "spring-launch"))).toBe(
      [
        "· No tracked posts in spring-launch yet.",
        'Paste a post\'s link: longtail ask "track https://www.instagram.com/p/…".',
      ].join("\n"),
    );
  });
});
