import type { SlackDeps } from "../../deps.ts";
import type { Registrar } from "../registrar.ts";
import { answerMention } from "./answerMention.ts";
import { forgetRevokedBot, forgetUninstalledTeam } from "./forgetRemovedTeam.ts";
import { publishHome } from "./publishHome.ts";

export function register(on: Registrar, deps: SlackDeps): void {
  on.event("app_mention", answerMention(deps));
  on.event("app_home_opened", publishHome(deps));
  on.event("app_uninstalled", forgetUninstalledTeam(deps));
  on.event("tokens_revoked", forgetRevokedBot(deps));
}
