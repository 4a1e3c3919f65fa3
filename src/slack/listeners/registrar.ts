import type {
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from "@slack/bolt";
import type { LongtailContext } from "../authorize.ts";
import type { LongtailApp } from "../deps.ts";
import type { Registrations } from "../registry.ts";

/**
 * The one way listeners are registered: each call registers with Bolt and records what it
 * registered, under the name the manifest uses, so test/slack/manifest.test.ts checks the
 * manifest against what the app really listens to.
 */
export interface Registrar {
  command(name: string, listener: Middleware<SlackCommandMiddlewareArgs, LongtailContext>): void;
  event<E extends "app_mention" | "app_home_opened" | "app_uninstalled" | "tokens_revoked">(
    name: E,
    listener: Middleware<SlackEventMiddlewareArgs<E>, LongtailContext>,
  ): void;
  /** The `message` event, which the manifest subscribes to as `message.im`. */
  directMessage(listener: Middleware<SlackEventMiddlewareArgs<"message">, LongtailContext>): void;
  button(
    actionId: string,
    listener: Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, LongtailContext>,
  ): void;
}

export function registrar(app: LongtailApp, registrations: Registrations): Registrar {
  return {
    command(name, listener) {
      app.command(name, listener);
      registrations.commands.push(name);
    },
    event(name, listener) {
      app.event(name, listener);
      registrations.events.push(name);
    },
    directMessage(listener) {
      app.event("message", listener);
      registrations.events.push("message.im");
    },
    button(actionId, listener) {
      app.action<BlockAction<ButtonAction>>(actionId, listener);
      registrations.actions.push(actionId);
    },
  };
}
