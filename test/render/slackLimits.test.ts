import type { KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  fitSlackLimits,
  MESSAGE_LIMITS,
  SLACK_LIMITS,
  slackLimitProblems,
  truncateLines,
  truncateWords,
} from "../../src/render/slackLimits.ts";

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function list(title: string, items: number, itemLength = 60): string {
  return [title, ...Array.from({ length: items }, (_, i) => `${i + 1}. ${"x".repeat(itemLength)}`)].join(
    "\n",
  );
}

const chart: KnownBlock = {
  type: "image",
  image_url: `https://quickchart.io/chart?c=${"a".repeat(2900)}`,
  alt_text: "A chart",
};
const share: KnownBlock = {
  type: "actions",
  elements: [
    { type: "button", text: { type: "plain_text", text: "Share in channel" }, action_id: "longtail_share" },
  ],
};

describe("truncateWords", () => {
  it("cuts at a space and marks the cut", () => {
    expect(truncateWords("the quick brown fox", 12)).toBe("the quick…");
    expect(truncateWords("short", 12)).toBe("short");
  });
});

describe("truncateLines", () => {
  it("keeps whole lines and says how many are left out", () => {
    const text = list("*Top*", 100);
    const cut = truncateLines(text, 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    const lines = cut.split("\n");
    expect(lines[0]).toBe("*Top*");
    expect(lines.at(-1)).toBe(`…and ${100 - (lines.length - 2)} more`);
  });

  it("adds to an earlier …and N more instead of adding a second one", () => {
    const once = truncateLines(list("*Top*", 100), 2000);
    const twice = truncateLines(once, 1000);
    expect(twice.match(/…and/g)).toHaveLength(1);
    const lines = twice.split("\n");
    expect(lines.at(-1)).toBe(`…and ${100 - (lines.length - 2)} more`);
  });
});

describe("fitSlackLimits", () => {
  it("fits every block to its own limits", () => {
    const fitted = fitSlackLimits({
      text: "fallback",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "word ".repeat(60) } },
        section(list("*Long*", 200)),
        {
          type: "section",
          fields: Array.from({ length: 12 }, () => ({ type: "mrkdwn", text: list("*Field*", 60) })),
        },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "b".repeat(80) },
              action_id: "a",
              value: "v",
            },
            {
              type: "button",
              text: { type: "plain_text", text: "ok" },
              action_id: "b",
              value: "v".repeat(2001),
            },
          ],
        },
        {
          type: "image",
          image_url: `https://quickchart.io/chart?c=${"a".repeat(3000)}`,
          alt_text: "too long a link",
        },
      ],
    });
    expect(slackLimitProblems(fitted)).toEqual([]);
    expect(fitted.blocks.map((block) => block.type)).toEqual(["header", "section", "section", "actions"]);
  });

  it("drops the chart before any content", () => {
    const content = ["*A*", "*B*", "*C*", "*D*"].map((title) => section(list(title, 40)));
    const message = { text: "fallback", blocks: [...content, chart, share] };
    expect(JSON.stringify(message).length).toBeGreaterThan(MESSAGE_LIMITS.maxJsonChars);
    const fitted = fitSlackLimits(message);
    expect(JSON.stringify({ text: "fallback", blocks: [...content, share] }).length).toBeLessThan(
      MESSAGE_LIMITS.maxJsonChars,
    );
    expect(fitted.blocks).toEqual([...content, share]);
  });

  it("shortens the longest list next, then drops trailing blocks, keeping the final actions", () => {
    const fitted = fitSlackLimits({
      text: "fallback",
      blocks: [
        section(list("*Long*", 40, 200)),
        ...Array.from({ length: 60 }, (_, i) => section(`alert ${i}`)),
        share,
      ],
    });
    expect(slackLimitProblems(fitted)).toEqual([]);
    expect(fitted.blocks.length).toBeLessThanOrEqual(MESSAGE_LIMITS.maxBlocks);
    const [first] = fitted.blocks;
    expect(first?.type === "section" && first.text?.text).toMatch(/\n…and \d+ more$/);
    const note = fitted.blocks.at(-2);
    const hidden = Number(/…and (\d+) more/.exec(JSON.stringify(note))?.[1]);
    const alertsShown = fitted.blocks.filter((block) => JSON.stringify(block).includes("alert ")).length;
    expect(alertsShown + hidden).toBe(60);
    expect(fitted.blocks.at(-1)).toEqual(share);
  });

  it("leaves a message that fits as it is", () => {
    const message = { text: "fallback", blocks: [section("hello"), chart, share] };
    expect(fitSlackLimits(message)).toEqual(message);
  });
});

describe("slackLimitProblems", () => {
  it("names each broken limit", () => {
    const problems = slackLimitProblems({
      blocks: [
        { type: "header", text: { type: "plain_text", text: "h".repeat(SLACK_LIMITS.headerText + 1) } },
        section("s".repeat(SLACK_LIMITS.sectionText + 1)),
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "a" }, action_id: "same" },
            { type: "button", text: { type: "plain_text", text: "b" }, action_id: "same" },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      "block 0 (header) text: 151 > 150",
      "block 1 (section) text: 3001 > 3000",
      "block 2 (actions): action_id repeated within the block",
    ]);
  });
});
