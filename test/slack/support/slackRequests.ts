import { createHmac } from "node:crypto";

/** Real Slack requests: slash commands, events and interactions, signed like Slack signs them. */

export interface SignOptions {
  signingSecret: string;
  /** Seconds since the epoch; default: now. */
  timestamp?: number;
  /** Override the signature (to send a bad one). */
  signature?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  /** Milliseconds from sending to the full response. */
  ms: number;
}

export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  options: SignOptions,
): Promise<SlackResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? slackSignature(options.signingSecret, timestamp, body),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

export interface SlashCommandFields {
  command: string;
  text: string;
  teamId: string;
  teamDomain?: string;
  channelId?: string;
  userId?: string;
  responseUrl: string;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: fields.teamId,
    team_domain: fields.teamDomain ?? fields.teamId.toLowerCase(),
    channel_id: fields.channelId ?? "C0GENERAL",
    channel_name: "general",
    user_id: fields.userId ?? "U0MARKETER",
    user_name: "marketer",
    command: fields.command,
    text: fields.text,
    api_app_id: "A0LONGTAIL",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  }).toString();
}

export function sendSlashCommand(baseUrl: string, fields: SlashCommandFields, sign: SignOptions) {
  return postSigned(
    `${baseUrl}/slack/events`,
    slashCommandBody(fields),
    "application/x-www-form-urlencoded",
    sign,
  );
}

let eventCounter = 0;

export function eventBody(teamId: string, event: Record<string, unknown>): string {
  eventCounter += 1;
  return JSON.stringify({
    token: "deprecated-verification-token",
    team_id: teamId,
    api_app_id: "A0LONGTAIL",
    event,
    type: "event_callback",
    event_id: `Ev${String(eventCounter).padStart(8, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: "U0BOT", is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export function sendEvent(
  baseUrl: string,
  teamId: string,
  event: Record<string, unknown>,
  sign: SignOptions,
) {
  return postSigned(`${baseUrl}/slack/events`, eventBody(teamId, event), "application/json", sign);
}

export interface BlockActionFields {
  teamId: string;
  actionId: string;
  value: string;
  responseUrl?: string;
  channelId?: string;
  userId?: string;
  /** Ephemeral container (an answer to a slash command) unless a message ts is given. */
  messageTs?: string;
  threadTs?: string;
}

export function blockActionBody(fields: BlockActionFields): string {
  const channelId = fields.channelId ?? "C0GENERAL";
  const payload = {
    type: "block_actions",
    user: { id: fields.userId ?? "U0MARKETER", username: "marketer", team_id: fields.teamId },
    api_app_id: "A0LONGTAIL",
    token: "deprecated-verification-token",
    container: fields.messageTs
      ? {
          type: "message",
          message_ts: fields.messageTs,
          channel_id: channelId,
          is_ephemeral: false,
          thread_ts: fields.threadTs,
        }
      : { type: "message", message_ts: "1700000000.000100", channel_id: channelId, is_ephemeral: true },
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    team: { id: fields.teamId, domain: fields.teamId.toLowerCase() },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: "general" },
    ...(fields.responseUrl ? { response_url: fields.responseUrl } : {}),
    actions: [
      {
        action_id: fields.actionId,
        block_id: "longtail_actions",
        text: { type: "plain_text", text: "button", emoji: true },
        value: fields.value,
        type: "button",
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function sendBlockAction(baseUrl: string, fields: BlockActionFields, sign: SignOptions) {
  return postSigned(
    `${baseUrl}/slack/events`,
    blockActionBody(fields),
    "application/x-www-form-urlencoded",
    sign,
  );
}
