import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { errorSummary, log } from "../../../log.ts";
import { askSafely } from "../../ask.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import { platformError } from "../../errors.ts";
import { slackReply, uploadPrivateCharts, withSharedBy } from "../../reply.ts";
import { decodeShare } from "../../share.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs<LongtailContext>;

export const SHARE_EXPIRED =
  "I can't share that card any more: ask the question again and press Share in channel on the new answer.";
export const NOT_IN_CHANNEL =
  "I can't post in this conversation yet: invite me with `/invite @Longtail`, then press Share in channel again.";

/**
 * "Share in channel": the question behind the button is asked again, as of the same moment and
 * for the workspace of the team pressing it, and the card is posted to the channel for everyone.
 */
export function shareInChannel(deps: SlackDeps) {
  return async ({ ack, action, body, context, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const question = decodeShare(action.value, deps.now());
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (!question || !channelId) {
      await respond({ response_type: "ephemeral", replace_original: false, text: SHARE_EXPIRED });
      return;
    }
    const where = { channelId, userId: body.user.id, client };
    const view = await askSafely(deps, context, question.text, where, question.now);
    try {
      const posted = await client.chat.postMessage({
        channel: channelId,
        ...withSharedBy(slackReply(view, { chartHost: deps.chartHost }), body.user.id),
      });
      await uploadPrivateCharts(client, view, channelId, posted.ts);
      await respond({ delete_original: true });
    } catch (error) {
      const code =
        errorSummary(error).code === "slack_webapi_platform_error" ? platformError(error) : undefined;
      log.warn({ err: errorSummary(error), slackError: code }, "Slack share in channel failed");
      const text =
        code === "not_in_channel" || code === "channel_not_found"
          ? NOT_IN_CHANNEL
          : "I couldn't post that card just now. Please try again.";
      await respond({ response_type: "ephemeral", replace_original: false, text });
    }
  };
}
