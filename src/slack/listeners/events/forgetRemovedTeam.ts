import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { log } from "../../../log.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";

/** Kept on every subscription and alert rule the removal stopped, and on the deliveries it skipped. */
export const REMOVED_FROM_SLACK = "Longtail was removed from Slack";

type Args<E extends "app_uninstalled" | "tokens_revoked"> = SlackEventMiddlewareArgs<E> &
  AllMiddlewareArgs<LongtailContext>;

/** The app was uninstalled from a team (Bolt delivers this event without authorizing it). */
export function forgetUninstalledTeam(deps: SlackDeps) {
  return async ({ context }: Args<"app_uninstalled">): Promise<void> => {
    await forgetTeam(deps, context, "app_uninstalled");
  };
}

/** Tokens were revoked: the bot's means the team cannot be posted to any more; people's alone change nothing. */
export function forgetRevokedBot(deps: SlackDeps) {
  return async ({ event, context }: Args<"tokens_revoked">): Promise<void> => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await forgetTeam(deps, context, "tokens_revoked");
  };
}

async function forgetTeam(deps: SlackDeps, context: LongtailContext, event: string): Promise<void> {
  const team = {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  };
  const removal = await deps.removeTeam(team);
  if (removal) log.info({ event, teamId: team.teamId, ...removal }, "Longtail was removed from a Slack team");
  else log.warn({ event, teamId: team.teamId }, "Removal event for a Slack team without a workspace");
}
