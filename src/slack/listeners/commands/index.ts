import type { SlackDeps } from "../../deps.ts";
import { SLASH_COMMANDS } from "../../registry.ts";
import type { Registrar } from "../registrar.ts";
import { answerSlashCommand } from "./answerSlashCommand.ts";

export function register(on: Registrar, deps: SlackDeps): void {
  for (const spec of SLASH_COMMANDS) on.command(spec.command, answerSlashCommand(deps, spec));
}
