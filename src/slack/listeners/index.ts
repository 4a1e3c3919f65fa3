import type { LongtailApp, SlackDeps } from "../deps.ts";
import type { Registrations } from "../registry.ts";
import * as actions from "./actions/index.ts";
import * as commands from "./commands/index.ts";
import * as events from "./events/index.ts";
import * as messages from "./messages/index.ts";
import { registrar } from "./registrar.ts";

/** Every listener, registered per kind; `registrations` records what Bolt was given. */
export function registerListeners(app: LongtailApp, deps: SlackDeps, registrations: Registrations): void {
  const on = registrar(app, registrations);
  commands.register(on, deps);
  events.register(on, deps);
  messages.register(on, deps);
  actions.register(on, deps);
}
