import type { AnyMiddlewareArgs, Middleware, RespondFn } from "@slack/bolt";
import type { LongtailContext } from "./authorize.ts";

type Ack = (response?: unknown) => Promise<void>;

/**
 * The first global middleware: a request `authorize` refused (a team without an installation,
 * another team's request) is acknowledged with the reason and goes no further: no listener runs.
 */
export const refuseUnmappedTeams: Middleware<AnyMiddlewareArgs, LongtailContext> = async (args) => {
  const { context, next, body } = args;
  const refusal = context.refusal;
  if (!refusal) {
    await next();
    return;
  }
  const { ack, respond } = args as { ack?: Ack; respond?: RespondFn };
  const isCommand = typeof body === "object" && "command" in body;
  if (ack) await ack(isCommand ? { response_type: "ephemeral", text: refusal } : undefined);
  if (!isCommand && respond)
    await respond({ response_type: "ephemeral", replace_original: false, text: refusal });
};
