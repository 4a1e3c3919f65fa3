import type { Config } from "../config.ts";
import type { Store } from "../store/database.ts";
import { type TeamsSettings, teamsSettings } from "../teams/config.ts";
import type { Route } from "./http.ts";

export const TEAMS_MESSAGES_PATH = "/api/messages";

export interface TeamsSurface {
  settings: TeamsSettings;
  routes(store: Store): Route[];
}

/**
 * Teams when configured (or unauthenticated, for local testing, in local mode): its messaging
 * endpoint for the shared server. SEAM: `createTeamsMessagesHandler` from src/teams/ is mounted at
 * TEAMS_MESSAGES_PATH here once it lands; until then no route is served.
 */
export function teamsSurface(config: Config): TeamsSurface | null {
  const settings = teamsSettings(config);
  if (!settings) return null;
  return { settings, routes: () => [] };
}
