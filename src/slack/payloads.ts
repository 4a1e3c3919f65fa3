import { z } from "zod";
import { SLASH_COMMANDS } from "./registry.ts";

/**
 * The signed requests the app handles, typed as Slack documents them, for the fields the app and
 * Bolt read (slash-command forms, the Events API's event_callback with the events the manifest
 * subscribes to, block_actions interactions). Objects stay loose: Slack adds fields at will.
 * Bolt dereferences these fields before any listener runs, so a wrongly typed one is refused here.
 */

const text = z.string();
const optionalText = z.string().optional();

/** A form field Slack always sends; a repeated key would parse to an array. */
const SlashCommand = z.looseObject({
  // One the app registers: Bolt would hold any other for 3 s and then answer 404.
  command: z.enum(SLASH_COMMANDS.map((spec) => spec.command) as [string, ...string[]]),
  text,
  team_id: text,
  user_id: text,
  channel_id: text,
  response_url: text,
  enterprise_id: optionalText,
  is_enterprise_install: optionalText,
  trigger_id: optionalText,
  api_app_id: optionalText,
});

const AppMention = z.looseObject({
  type: z.literal("app_mention"),
  user: optionalText,
  text,
  channel: text,
  ts: text,
  thread_ts: optionalText,
});

/** Edits, joins and bot messages carry a subtype and are ignored, but Bolt reads them too. */
const Message = z.looseObject({
  type: z.literal("message"),
  channel: text,
  ts: text,
  channel_type: optionalText,
  subtype: optionalText,
  user: optionalText,
  text: optionalText,
  thread_ts: optionalText,
  bot_id: z.string().nullish(),
});

const AppHomeOpened = z.looseObject({
  type: z.literal("app_home_opened"),
  user: text,
  channel: optionalText,
  tab: optionalText,
});

const AppUninstalled = z.looseObject({ type: z.literal("app_uninstalled") });

const TokensRevoked = z.looseObject({
  type: z.literal("tokens_revoked"),
  tokens: z.looseObject({ oauth: z.array(text).optional(), bot: z.array(text).optional() }),
});

/** The events the manifest subscribes to (`message.im` arrives as `message`). */
export const HANDLED_EVENTS = [
  "app_mention",
  "message",
  "app_home_opened",
  "app_uninstalled",
  "tokens_revoked",
] as const;

const EventCallback = z.looseObject({
  type: z.literal("event_callback"),
  team_id: optionalText,
  enterprise_id: z.string().nullish(),
  event_id: optionalText,
  is_enterprise_install: z.boolean().optional(),
  authorizations: z
    .array(
      z.looseObject({
        team_id: z.string().nullish(),
        enterprise_id: z.string().nullish(),
        user_id: optionalText,
        is_enterprise_install: z.boolean().optional(),
      }),
    )
    .optional(),
  event: z.discriminatedUnion("type", [AppMention, Message, AppHomeOpened, AppUninstalled, TokensRevoked]),
});

const BlockActions = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: text, team_id: optionalText }),
  // Null for an org-wide install.
  team: z.looseObject({ id: text, enterprise_id: optionalText }).nullable(),
  enterprise: z.looseObject({ id: text }).nullish(),
  is_enterprise_install: z.boolean().optional(),
  channel: z.looseObject({ id: text }).optional(),
  container: z
    .looseObject({ channel_id: optionalText, is_ephemeral: z.boolean().optional(), thread_ts: optionalText })
    .optional(),
  message: z.looseObject({ ts: text, thread_ts: optionalText }).optional(),
  response_url: optionalText,
  actions: z
    .array(z.looseObject({ action_id: text, block_id: optionalText, type: text, value: optionalText }))
    .min(1),
});

const UrlVerification = z.looseObject({ type: z.literal("url_verification"), challenge: text });

/**
 * What to do with a signed request: hand it to Bolt, or answer it here. A malformed event is
 * acknowledged (200) and dropped, because Slack redelivers an event answered otherwise, three times,
 * and turns off an app's event subscriptions when most deliveries fail; the same payload would fail
 * each time. A malformed slash command or interaction is answered 400: Slack does not retry those,
 * it shows the person an error.
 */
export type Verdict =
  | { pass: true }
  /** `problems`: the paths of the fields that are wrong; none for an event the app does not listen to. */
  | { pass: false; status: 200 | 400; kind: string; problems: string[] };

/** `body` as Bolt parsed it; the kinds are told apart in Bolt's own order. */
export function judgeSlackRequest(body: unknown): Verdict {
  if (!isRecord(body)) return refused(400, "not an object", ["(body)"]);
  if ("ssl_check" in body) return { pass: true };
  if (body.type === "url_verification") return judge(UrlVerification, body, "url_verification", 400);
  if (body.event !== undefined || body.type === "event_callback") return judgeEvent(body);
  if (body.command !== undefined) return judge(SlashCommand, body, "slash command", 400);
  if (body.actions !== undefined) return judge(BlockActions, body, "interaction", 400);
  // Shortcuts, modals, menus' options: the manifest enables none of them.
  return refused(400, "unhandled kind", ["type"]);
}

function judgeEvent(body: Record<string, unknown>): Verdict {
  const event = body.event;
  const type = isRecord(event) ? event.type : undefined;
  if (typeof type === "string" && !(HANDLED_EVENTS as readonly string[]).includes(type)) {
    return refused(200, "unsubscribed event", []);
  }
  return judge(EventCallback, body, "event", 200);
}

function judge(schema: z.ZodType, body: unknown, kind: string, status: 200 | 400): Verdict {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { pass: true };
  return refused(status, kind, [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))]);
}

function refused(status: 200 | 400, kind: string, problems: string[]): Verdict {
  return { pass: false, status, kind, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
