import type { LongtailApp, SlackDeps } from "../../deps.ts";
import { answerMention } from "./answerMention.ts";
import { publishHome } from "./publishHome.ts";

export function register(app: LongtailApp, deps: SlackDeps): void {
  app.event("app_mention", answerMention(deps));
  app.event("app_home_opened", publishHome(deps));
  deps.registrations.events.push("app_mention", "app_home_opened");
}
