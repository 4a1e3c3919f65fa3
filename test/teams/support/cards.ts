import { createRequire } from "node:module";
import { expect } from "vitest";
import type { AdaptiveCard, CardElement } from "../../../src/render/teams.ts";
import { cardBytes } from "../../../src/render/teams.ts";

// The package's ESM entry does not load in Node; its UMD bundle parses and validates without a DOM.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js");

/** Teams' own chart elements: unknown to the adaptivecards package, rendered by Teams. */
const TEAMS_CHART = /^Unknown element type "Chart\.(Line|VerticalBar|VerticalBar\.Grouped)"/;

/** What the adaptivecards package says is wrong with a card, for schema 1.5 (Teams charts allowed). */
export function cardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems.filter((message) => !TEAMS_CHART.test(message));
}

/** A card Teams accepts: valid 1.5, under 80 KB, no data: URIs. */
export function expectValidTeamsCard(card: AdaptiveCard): void {
  expect(cardProblems(card)).toEqual([]);
  expect(card.version).toBe("1.5");
  expect(cardBytes(card)).toBeLessThan(80 * 1024);
  expect(JSON.stringify(card)).not.toContain("data:");
}

/** Every element of a card, depth first (containers, columns, facts' holders and action sets). */
export function elementsOf(card: AdaptiveCard): CardElement[] {
  const all: CardElement[] = [];
  const walk = (elements: unknown): void => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as CardElement[]) {
      all.push(element);
      walk(element.items);
      walk(element.columns);
      walk(element.actions);
    }
  };
  walk(card.body);
  walk(card.actions);
  return all;
}

/** All text a person reads on the card: text blocks, facts, button titles. */
export function cardText(card: AdaptiveCard): string {
  return elementsOf(card)
    .flatMap((element) => {
      if (element.type === "TextBlock") return [String(element.text)];
      if (element.type === "FactSet")
        return (element.facts as { title: string; value: string }[]).map(
          (fact) => `${fact.title}: ${fact.value}`,
        );
      if (element.type.startsWith("Action.")) return [String(element.title)];
      return [];
    })
    .join("\n");
}

export function submitActions(
  card: AdaptiveCard,
): { title: string; data: { longtail: string; question: string } }[] {
  return elementsOf(card)
    .filter((element) => element.type === "Action.Submit")
    .map((element) => ({
      title: String(element.title),
      data: element.data as { longtail: string; question: string },
    }));
}
