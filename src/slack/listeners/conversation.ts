import type { webApi } from "@slack/bolt";
import type { MessageView } from "../../insights/viewModels.ts";
import { errorSummary, log } from "../../log.ts";
import { askSafely } from "../ask.ts";
import type { LongtailContext } from "../authorize.ts";
import type { SlackDeps } from "../deps.ts";
import { slackReply, uploadPrivateCharts } from "../reply.ts";
import { plainSlackText } from "../text.ts";

/** A message someone wrote to the bot: in a channel (a mention) or in a DM. */
export interface ChatMessage {
  channel: string;
  user: string | undefined;
  text: string;
  ts: string;
  threadTs: string | undefined;
}

/**
 * Answers a message in plain words in its thread. Anything not understood gets the short help
 * with examples, a failure a plain apology, and an answer that takes a while a notice first:
 * never silence.
 */
export async function answerInThread(
  deps: SlackDeps,
  context: LongtailContext,
  client: webApi.WebClient,
  message: ChatMessage,
): Promise<void> {
  const now = deps.now();
  const text = plainSlackText(message.text, context.botUserId);
  const threadTs = message.threadTs ?? message.ts;
  const whenDelayed = async (notice: MessageView) => {
    await client.chat.postMessage({
      channel: message.channel,
      thread_ts: threadTs,
      ...slackReply(notice, { chartHost: deps.chartHost }),
    });
  };
  const where = { channelId: message.channel, userId: message.user, client, whenDelayed };
  const view = await askSafely(deps, context, text, where, now);
  try {
    await client.chat.postMessage({
      channel: message.channel,
      thread_ts: threadTs,
      ...slackReply(view, { chartHost: deps.chartHost }),
    });
    await uploadPrivateCharts(client, view, message.channel, threadTs);
  } catch (error) {
    log.error({ err: errorSummary(error) }, "Slack thread answer failed");
  }
}
