import type { LongtailApp, SlackDeps } from "../../deps.ts";
import { answerDirectMessage } from "./answerDirectMessage.ts";

export function register(app: LongtailApp, deps: SlackDeps): void {
  app.event("message", answerDirectMessage(deps));
  deps.registrations.events.push("message.im");
}
