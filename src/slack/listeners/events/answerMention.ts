import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import { answerInThread } from "../conversation.ts";

type MentionArgs = SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs<LongtailContext>;

/** "@Longtail how is @anna doing?" in a channel: the answer goes in the thread. */
export function answerMention(deps: SlackDeps) {
  return async ({ event, context, client }: MentionArgs): Promise<void> => {
    // Bolt acknowledged the event already; a retry means Slack did not see that in time.
    if (context.retryNum) return;
    await answerInThread(deps, context, client, {
      channel: event.channel,
      user: event.user,
      text: event.text,
      ts: event.ts,
      threadTs: event.thread_ts,
    });
  };
}
