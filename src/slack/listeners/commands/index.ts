import type { LongtailApp, SlackDeps } from "../../deps.ts";
import { SLASH_COMMANDS } from "../../registry.ts";
import { answerSlashCommand } from "./answerSlashCommand.ts";

export function register(app: LongtailApp, deps: SlackDeps): void {
  for (const spec of SLASH_COMMANDS) {
    app.command(spec.command, answerSlashCommand(deps, spec));
    deps.registrations.commands.push(spec.command);
  }
}
