import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { errorSummary, log } from "../../../log.ts";
import { askSafely } from "../../ask.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import { slackReply, uploadPrivateCharts } from "../../reply.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs<LongtailContext>;

/** Longer values are no command this app made. */
const MAX_BUTTON_COMMAND = 1000;

/**
 * A button that stands for a command ("did you mean @anna", "open campaign report"): the
 * command runs as if typed, and the answer goes where the button was — replacing an ephemeral
 * answer, in the thread of a message, or in a DM when pressed on the Home tab.
 */
export function runButtonCommand(deps: SlackDeps) {
  return async ({ ack, action, body, context, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const text = (action.value ?? "").slice(0, MAX_BUTTON_COMMAND);
    const now = deps.now();
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const where = { channelId, userId: body.user.id, client };
    const view = await askSafely(deps, context, text, where, now);
    try {
      if (body.container?.is_ephemeral && body.response_url) {
        const reply = slackReply(view, { share: { text, now }, chartHost: deps.chartHost });
        await respond({ response_type: "ephemeral", replace_original: true, ...reply });
        return;
      }
      const reply = slackReply(view, { chartHost: deps.chartHost });
      if (channelId && body.message) {
        const threadTs = body.message.thread_ts ?? body.message.ts;
        await client.chat.postMessage({ channel: channelId, thread_ts: threadTs, ...reply });
        await uploadPrivateCharts(client, view, channelId, threadTs);
        return;
      }
      // The Home tab has no conversation: the answer goes to the person's DM with the app.
      await client.chat.postMessage({ channel: body.user.id, ...reply });
    } catch (error) {
      log.error({ err: errorSummary(error) }, "Slack button answer failed");
    }
  };
}
