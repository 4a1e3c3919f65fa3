import type { BlockAction, ButtonAction } from "@slack/bolt";
import { OPEN_CAMPAIGN_ACTION_ID, SHARE_ACTION_ID, SUGGESTION_ACTION_ID } from "../../../render/slack.ts";
import type { LongtailApp, SlackDeps } from "../../deps.ts";
import { runButtonCommand } from "./runButtonCommand.ts";
import { shareInChannel } from "./shareInChannel.ts";

export function register(app: LongtailApp, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(SHARE_ACTION_ID, shareInChannel(deps));
  app.action<BlockAction<ButtonAction>>(SUGGESTION_ACTION_ID, runButtonCommand(deps));
  app.action<BlockAction<ButtonAction>>(OPEN_CAMPAIGN_ACTION_ID, runButtonCommand(deps));
  deps.registrations.actions.push(SHARE_ACTION_ID, SUGGESTION_ACTION_ID, OPEN_CAMPAIGN_ACTION_ID);
}
