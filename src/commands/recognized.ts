import type { IntentDraft } from "./intent.ts";

/** A command that was recognized but cannot be carried out as typed, and why. */
export interface Refusal {
  kind: "unknown";
  reason: string;
}

/** What a recognizer makes of a command; parseCommand adds the typed text to a refusal. */
export type Recognized = Exclude<IntentDraft, { kind: "unknown" }> | Refusal;

export type Recognizer = (command: string) => Recognized | undefined;

export function refuse(reason: string): Refusal {
  return { kind: "unknown", reason };
}

/** " Did you mean a or b?", or nothing without guesses. */
export function didYouMean(guesses: readonly string[]): string {
  return guesses.length > 0 ? ` Did you mean ${guesses.join(" or ")}?` : "";
}

export function understoodButNot(command: string, leftover: string): string {
  return `I understood \`${command}\`, but not “${leftover}”.`;
}
