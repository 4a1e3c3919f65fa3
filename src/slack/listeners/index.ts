import type { LongtailApp, SlackDeps } from "../deps.ts";
import * as actions from "./actions/index.ts";
import * as commands from "./commands/index.ts";
import * as events from "./events/index.ts";
import * as messages from "./messages/index.ts";

/** Every listener, registered per kind. */
export function registerListeners(app: LongtailApp, deps: SlackDeps): void {
  commands.register(app, deps);
  events.register(app, deps);
  messages.register(app, deps);
  actions.register(app, deps);
}
