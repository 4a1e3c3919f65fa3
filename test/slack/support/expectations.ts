import type { KnownBlock } from "@slack/types";
import { expect } from "vitest";
import {
  HOME_TAB_LIMITS,
  MESSAGE_LIMITS,
  type SurfaceLimits,
  slackLimitProblems,
} from "../../../src/render/slackLimits.ts";
import type { RecordedCall } from "./slackApiStub.ts";

/** Blocks Slack would accept: within every limit the renderer's checker knows. */
export function expectWithinSlackLimits(
  blocks: unknown,
  limits: SurfaceLimits = MESSAGE_LIMITS,
): KnownBlock[] {
  expect(Array.isArray(blocks)).toBe(true);
  const typed = blocks as KnownBlock[];
  expect(typed.length).toBeGreaterThan(0);
  expect(slackLimitProblems({ blocks: typed }, limits)).toEqual([]);
  return typed;
}

export function expectHomeWithinLimits(blocks: unknown): KnownBlock[] {
  return expectWithinSlackLimits(blocks, HOME_TAB_LIMITS);
}

/** Every text of a message, to search it for what should (not) be there. */
export function textOf(call: RecordedCall): string {
  return JSON.stringify(call.body);
}

export function headerOf(blocks: KnownBlock[]): string | undefined {
  const header = blocks.find((block) => block.type === "header");
  return header?.type === "header" ? header.text.text : undefined;
}

/** The value of the first button with this action id. */
export function buttonValue(blocks: KnownBlock[], actionId: string): string | undefined {
  for (const block of blocks) {
    const elements =
      block.type === "actions"
        ? block.elements
        : block.type === "section" && block.accessory
          ? [block.accessory]
          : [];
    for (const element of elements) {
      if (element.type === "button" && element.action_id === actionId) return element.value;
    }
  }
  return undefined;
}
