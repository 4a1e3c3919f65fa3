import { randomBytes } from "node:crypto";
import type { webApi } from "@slack/bolt";
import { parseCommand } from "../commands/parse.ts";
import { answer, isQuestion } from "../insights/answer.ts";
import type { MessageView, ViewModel } from "../insights/viewModels.ts";
import { log } from "../log.ts";
import { handleScheduleIntent } from "../schedule/commands.ts";
import type { Store } from "../store/database.ts";
import type { LongtailContext } from "./authorize.ts";
import type { SlackDeps } from "./deps.ts";
import { errorSummary } from "./errors.ts";
import { insightContextFor } from "./workspace.ts";

/** Where a question was asked: the conversation and the person, when there are any. */
export interface AskedIn {
  channelId?: string;
  userId?: string;
  client: webApi.WebClient;
}

/**
 * A question in chat words → the view model that answers it, for the one workspace the
 * request's team maps to. Questions about the data take the one path (`answer`); subscriptions
 * and alert settings go to the scheduler.
 */
export async function ask(
  store: Store,
  context: LongtailContext,
  text: string,
  where: AskedIn,
  now: Date,
): Promise<ViewModel> {
  const intent = parseCommand(text);
  const ctx = await insightContextFor(store, context);
  if (isQuestion(intent)) return answer(ctx, intent, now);
  if (!where.channelId) {
    return infoMessage("Ask that in a channel", [
      "Subscriptions and alert settings belong to a channel: type it there.",
    ]);
  }
  const userTimezone =
    intent.kind === "subscribe" && where.userId ? await timezoneOf(where.client, where.userId) : undefined;
  const channel = {
    platform: "slack" as const,
    channelId: where.channelId,
    userId: where.userId,
    userTimezone,
  };
  return handleScheduleIntent(ctx, intent, channel, now);
}

/**
 * `ask`, in turn with the other answers being computed (see answerQueue.ts), with any failure
 * turned into a plain message for the chat and the details into the log.
 */
export async function askSafely(
  deps: Pick<SlackDeps, "store" | "answers">,
  context: LongtailContext,
  text: string,
  where: AskedIn,
  now: Date,
): Promise<ViewModel> {
  try {
    return await deps.answers.run(() => ask(deps.store, context, text, where, now));
  } catch (error) {
    return failureMessage(error, { workspace: context.workspaceSlug });
  }
}

/** What the person sees when something broke on our side: no stack trace, a reference for the log. */
export function failureMessage(error: unknown, details: Record<string, unknown> = {}): MessageView {
  const reference = randomBytes(4).toString("hex");
  log.error({ err: errorSummary(error), reference, ...details }, "Slack answer failed");
  return {
    kind: "message",
    tone: "error",
    title: "Something went wrong on my side",
    lines: [
      "I couldn't answer that just now. Please try again in a minute.",
      `If it keeps happening, give your Longtail admin this reference: ${reference}`,
    ],
  };
}

export function infoMessage(title: string, lines: string[]): MessageView {
  return { kind: "message", tone: "info", title, lines };
}

/** The person's time zone (users:read), for schedules typed in their local time. */
async function timezoneOf(client: webApi.WebClient, userId: string): Promise<string | undefined> {
  try {
    const result = await client.users.info({ user: userId });
    return result.user?.tz ?? undefined;
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "Slack users.info failed; using the workspace time zone");
    return undefined;
  }
}
