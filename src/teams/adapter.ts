import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from "botbuilder";
import type { ServiceClientCredentialsFactory } from "botframework-connector";
import { log } from "../log.ts";
import { errorSummary } from "../slack/errors.ts";
import type { TeamsSettings } from "./config.ts";

export interface TeamsAdapterOptions {
  /**
   * How the bot gets its own token to call the Bot Connector; botbuilder's default (from the
   * app id and password or certificate) otherwise. Tests pass one with a fake token.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

/** Shown in Teams when a turn failed on our side; the details go to the log only. */
export const TURN_FAILED = "Something went wrong on my side. Please try again in a minute.";

/**
 * botbuilder's CloudAdapter with ConfigurationBotFrameworkAuthentication: with an app id, every
 * inbound request's token is validated (never disabled); without one (local mode) nothing is.
 */
export function createTeamsAdapter(settings: TeamsSettings, options: TeamsAdapterOptions = {}): CloudAdapter {
  const authentication = new ConfigurationBotFrameworkAuthentication(
    settings.botFramework as ConfigurationBotFrameworkAuthenticationOptions,
    options.credentialsFactory,
  );
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: errorSummary(error), activity: context.activity.type }, "Teams turn failed");
    await context.sendActivity(TURN_FAILED);
  };
  return adapter;
}
