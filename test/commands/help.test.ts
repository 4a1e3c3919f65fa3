import { describe, expect, it } from "vitest";
import {
  GLOSSARY,
  HELP_SECTION_TOPICS,
  HELP_SECTIONS,
  type HelpSectionTopic,
  helpContent,
  helpTopics,
} from "../../src/commands/help.ts";
import type { IntentKind } from "../../src/commands/intent.ts";
import { METRICS } from "../../src/commands/metricKeys.ts";
import { parseCommand } from "../../src/commands/parse.ts";

const KINDS_OF_SECTION: Record<Exclude<HelpSectionTopic, "import">, IntentKind[]> = {
  creator: ["creator"],
  campaign: ["campaign"],
  top: ["top"],
  compare: ["compareTiers"],
  digest: ["digest", "subscribe", "unsubscribe", "subscriptions"],
  alerts: ["alerts", "alertSettings"],
  track: ["track", "tracked", "untrack"],
};

describe("help content", () => {
  it("has one section per topic, each with a title, a summary and 2 to 4 examples", () => {
    expect(HELP_SECTIONS.map((section) => section.topic)).toEqual([...HELP_SECTION_TOPICS]);
    for (const section of HELP_SECTIONS) {
      expect(section.title).not.toBe("");
      expect(section.summary).not.toBe("");
      expect(section.examples.length).toBeGreaterThanOrEqual(2);
      expect(section.examples.length).toBeLessThanOrEqual(4);
      expect(helpTopics[section.topic]).toBe(section);
    }
  });

  it.each(
    HELP_SECTIONS.filter((section) => section.typedIn === "chat").flatMap((section) =>
      section.examples.map((example) => [section.topic, example] as const),
    ),
  )("%s example %j does what its section says", (topic, example) => {
    expect(KINDS_OF_SECTION[topic as keyof typeof KINDS_OF_SECTION]).toContain(parseCommand(example).kind);
  });

  it("teaches importing as a CLI command", () => {
    expect(helpTopics.import.typedIn).toBe("cli");
    for (const example of helpTopics.import.examples) expect(example).toMatch(/^longtail import /);
  });

  it("names every rankable metric in the rankings section", () => {
    for (const metric of METRICS) expect(helpTopics.top.summary).toContain(metric.term);
  });

  it("explains the sustained metrics in the glossary", () => {
    const terms = GLOSSARY.map((entry) => entry.term);
    for (const term of [
      "Week-2 retention",
      "Longevity",
      "Half-life",
      "Evergreen",
      "Sustained engagements",
      "Cost per sustained engagement",
    ]) {
      expect(terms).toContain(term);
    }
  });

  it("gives everything without a topic, one section or the glossary with one", () => {
    expect(helpContent()).toEqual({ sections: [...HELP_SECTIONS], glossary: [...GLOSSARY] });
    expect(helpContent("top")).toEqual({ sections: [helpTopics.top], glossary: [] });
    expect(helpContent("glossary")).toEqual({ sections: [], glossary: [...GLOSSARY] });
  });
});
