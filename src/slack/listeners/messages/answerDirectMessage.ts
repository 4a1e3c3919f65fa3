import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import { answerInThread, type ChatMessage } from "../conversation.ts";

type MessageArgs = SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs<LongtailContext>;

/** A direct message in plain words ("compare micro vs macro"): answered in its thread. */
export function answerDirectMessage(deps: SlackDeps) {
  return async ({ event, context, client }: MessageArgs): Promise<void> => {
    if (context.retryNum) return;
    const message = directMessage(event);
    if (message) await answerInThread(deps, context, client, message);
  };
}

/** A person's new message in a DM with the bot; undefined for edits, bots, joins and channels. */
export function directMessage(event: MessageArgs["event"]): ChatMessage | undefined {
  if (event.channel_type !== "im" || event.subtype !== undefined) return undefined;
  if ("bot_id" in event && event.bot_id) return undefined;
  return {
    channel: event.channel,
    user: event.user,
    text: event.text ?? "",
    ts: event.ts,
    threadTs: event.thread_ts,
  };
}
