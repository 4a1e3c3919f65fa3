import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { errorSummary, log } from "../../../log.ts";
import { renderSlackHome } from "../../../render/slack.ts";
import { workspaceClaim } from "../../ask.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";

type HomeArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs<LongtailContext>;

/** The Home tab: this week's digest, active alerts, the workspace's subscriptions, how to ask. */
export function publishHome(deps: SlackDeps) {
  return async ({ event, context, client }: HomeArgs): Promise<void> => {
    if (event.tab !== "home") return;
    try {
      const home = await deps.conversation.home(workspaceClaim(context), "slack", deps.now());
      await client.views.publish({
        user_id: event.user,
        view: { type: "home", blocks: renderSlackHome(home) },
      });
    } catch (error) {
      log.error({ err: errorSummary(error), workspace: context.workspaceSlug }, "Slack Home tab failed");
    }
  };
}
