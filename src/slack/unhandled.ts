import type { App } from "@slack/bolt";
import { errorSummary, log } from "../log.ts";

const APOLOGY = "Something went wrong on my side and I couldn't answer. Please try again in a minute.";

/**
 * The last net under every listener: the error goes to the log (name and message only), and
 * whoever asked still hears something when there is a response_url to say it through.
 */
type ExtendedErrorHandler = Extract<Parameters<App["error"]>[0], (args: never) => unknown>;
type ErrorArgs = Parameters<ExtendedErrorHandler>[0];

export async function reportUnhandledError({ error, body }: ErrorArgs): Promise<void> {
  log.error({ err: errorSummary(error) }, "Slack listener failed");
  const responseUrl = responseUrlOf(body);
  if (!responseUrl) return;
  try {
    await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: APOLOGY }),
    });
  } catch (deliveryError) {
    log.warn({ err: errorSummary(deliveryError) }, "Slack apology could not be delivered");
  }
}

function responseUrlOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("response_url" in body)) return undefined;
  const url = (body as { response_url?: unknown }).response_url;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}
