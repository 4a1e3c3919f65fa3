import type { SlackDeps } from "../../deps.ts";
import type { Registrar } from "../registrar.ts";
import { answerDirectMessage } from "./answerDirectMessage.ts";

export function register(on: Registrar, deps: SlackDeps): void {
  on.directMessage(answerDirectMessage(deps));
}
