import { type Config, ConfigError } from "../config.ts";
import type { Conversation } from "../conversation/converse.ts";
import { log } from "../log.ts";
import type { Store } from "../store/database.ts";
import { refuseUnauthenticatedOffLoopback, type TeamsSettings, teamsSettings } from "../teams/config.ts";
import { MESSAGES_PATH } from "../teams/handler.ts";
import type { Handler, Route } from "./http.ts";

export interface TeamsSurface {
  settings: TeamsSettings;
  /**
   * POST /api/messages for the shared server listening on `host`, answering through the
   * process's one conversation core (one answer queue with Slack's) when given.
   */
  routes(store: Store, host: string, conversation?: Conversation): Route[];
}

/**
 * Teams when configured, or unauthenticated for local testing (the Bot Framework Emulator) when
 * no chat platform is: its messaging endpoint for the shared server. botbuilder is loaded on the
 * first activity, so starting stays quick.
 */
export function teamsSurface(config: Config): TeamsSurface | null {
  const settings = teamsSettings(config);
  if (!settings) return null;
  return {
    settings,
    routes(store, host, conversation) {
      try {
        refuseUnauthenticatedOffLoopback(settings, host);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        log.warn(`Teams is off: ${error.message}`);
        return [];
      }
      return [
        { method: "POST", path: MESSAGES_PATH, handle: loadedOnFirstUse(store, settings, conversation) },
      ];
    },
  };
}

function loadedOnFirstUse(store: Store, settings: TeamsSettings, conversation?: Conversation): Handler {
  let handler: Promise<Handler> | undefined;
  return async (req, res) => {
    handler ??= import("../teams/app.ts").then(
      ({ createTeamsApp }) => createTeamsApp({ store, settings, conversation }).handleMessages,
    );
    await (await handler)(req, res);
  };
}
