import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { MessageView } from "../../../insights/viewModels.ts";
import { errorSummary, log } from "../../../log.ts";
import { askSafely } from "../../ask.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import type { SlashCommandSpec } from "../../registry.ts";
import { slackReply } from "../../reply.ts";
import { plainSlackText } from "../../text.ts";

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs<LongtailContext>;

/**
 * `/creator anna`, `/campaign spring-launch`, `/longtail top 5 creators by longevity`: ack at once
 * (Slack waits 3 s at most), then answer through the response_url, visible only to the asker,
 * with a button to share the card in the channel. An answer that takes a while is announced there first.
 */
export function answerSlashCommand(deps: SlackDeps, spec: SlashCommandSpec) {
  return async ({ ack, command, respond, context, client }: CommandArgs): Promise<void> => {
    await ack();
    const text = commandText(spec, plainSlackText(command.text, context.botUserId));
    const now = deps.now();
    const whenDelayed = async (notice: MessageView) => {
      await respond({ response_type: "ephemeral", ...slackReply(notice, { chartHost: deps.chartHost }) });
    };
    const where = { channelId: command.channel_id, userId: command.user_id, client, whenDelayed };
    const view = await askSafely(deps, context, text, where, now);
    try {
      await respond({
        response_type: "ephemeral",
        ...slackReply(view, { share: { text, now }, chartHost: deps.chartHost }),
      });
    } catch (error) {
      log.error({ err: errorSummary(error), command: spec.command }, "Slack response_url answer failed");
    }
  };
}

/**
 * The command language's text for what was typed after the command: "/creator anna" asks
 * "creator anna"; "/creator creator anna" does not say it twice; "/creator help" asks for help
 * on creators.
 */
export function commandText(spec: SlashCommandSpec, typed: string): string {
  const text = typed.trim();
  if (spec.prefix === "") return text;
  const firstWord = text.split(/\s+/)[0]?.toLowerCase() ?? "";
  if (firstWord === spec.prefix) return text;
  if (firstWord === "help" && text.split(/\s+/).length === 1) return `help ${spec.prefix}`;
  return `${spec.prefix} ${text}`.trim();
}
