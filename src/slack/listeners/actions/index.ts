import { OPEN_CAMPAIGN_ACTION_ID, SHARE_ACTION_ID, SUGGESTION_ACTION_ID } from "../../../render/slack.ts";
import type { SlackDeps } from "../../deps.ts";
import type { Registrar } from "../registrar.ts";
import { runButtonCommand } from "./runButtonCommand.ts";
import { shareInChannel } from "./shareInChannel.ts";

export function register(on: Registrar, deps: SlackDeps): void {
  on.button(SHARE_ACTION_ID, shareInChannel(deps));
  on.button(SUGGESTION_ACTION_ID, runButtonCommand(deps));
  on.button(OPEN_CAMPAIGN_ACTION_ID, runButtonCommand(deps));
}
