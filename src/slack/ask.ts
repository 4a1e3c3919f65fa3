import type { webApi } from "@slack/bolt";
import type { Asked } from "../conversation/converse.ts";
import type { WorkspaceClaim } from "../conversation/workspace.ts";
import type { MessageView, ViewModel } from "../insights/viewModels.ts";
import { errorSummary, log } from "../log.ts";
import type { LongtailContext } from "./authorize.ts";
import type { SlackDeps } from "./deps.ts";

/** Where a question was asked in Slack: the conversation and the person, when there are any. */
export interface AskedIn {
  channelId?: string;
  userId?: string;
  client: webApi.WebClient;
  /** Posts a notice where the answer will go, when the answer takes a while. */
  whenDelayed?: (notice: MessageView) => Promise<void>;
}

/**
 * A question asked in Slack → the conversation core's answer, for the one workspace the
 * request's team maps to (named by `authorize`; created on first use). Never throws: a failure
 * comes back as a message with a reference id.
 *
 * `text` is plain: what people type is decoded once where it arrives (`plainSlackText`), and
 * button and share values are this app's own plain text, which must not be decoded again.
 */
export function askSafely(
  deps: Pick<SlackDeps, "conversation">,
  context: LongtailContext,
  text: string,
  where: AskedIn,
  now: Date,
): Promise<ViewModel> {
  return deps.conversation.ask(askedInSlack(context, text, where, now));
}

/** The claim of the request's workspace, from what `authorize` put in the context. */
export function workspaceClaim(context: LongtailContext): WorkspaceClaim {
  const slug = context.workspaceSlug;
  if (!slug) throw new Error("A Slack request reached a listener without a workspace.");
  return { slug, name: context.teamName ?? slug, createIfMissing: true };
}

function askedInSlack(context: LongtailContext, text: string, where: AskedIn, now: Date): Asked {
  const { channelId, userId, client, whenDelayed } = where;
  return {
    text,
    workspace: workspaceClaim(context),
    ...(channelId ? { channel: { platform: "slack", id: channelId } } : {}),
    ...(userId ? { user: { id: userId, timezone: () => timezoneOf(client, userId) } } : {}),
    ...(whenDelayed ? { whenDelayed } : {}),
    now,
  };
}

/** The person's time zone (users:read), for schedules typed in their local time. */
async function timezoneOf(client: webApi.WebClient, userId: string): Promise<string | undefined> {
  try {
    const result = await client.users.info({ user: userId });
    return result.user?.tz ?? undefined;
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "Slack users.info failed; using the workspace time zone");
    return undefined;
  }
}
