import { z } from "zod";

/**
 * What a "Share in channel" button carries: the question, in plain text already decoded from
 * Slack's syntax (so sharing does not decode it a second time), and the moment it was answered
 * as of. Sharing asks the question again, for the workspace of the team that presses the
 * button: nothing else from the client is trusted.
 */
export interface SharedQuestion {
  text: string;
  now: Date;
}

const MAX_SHARED_TEXT = 1500;

const sharedQuestionSchema = z.object({
  t: z.string().min(1).max(MAX_SHARED_TEXT),
  n: z.iso.datetime(),
});

export function encodeShare(question: SharedQuestion): string | undefined {
  if (question.text.length > MAX_SHARED_TEXT) return undefined;
  return JSON.stringify({ t: question.text, n: question.now.toISOString() });
}

/** The question behind a share button; undefined for a value this app did not make. */
export function decodeShare(value: string | undefined, latest: Date): SharedQuestion | undefined {
  if (!value) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = sharedQuestionSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const asOf = new Date(parsed.data.n);
  // A moment in the future is no answer anyone saw: it is clamped to now.
  return { text: parsed.data.t, now: asOf.getTime() > latest.getTime() ? latest : asOf };
}
