import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request as BotRequest, Response as BotResponse, CloudAdapter } from "botbuilder";
import { z } from "zod";
import { log } from "../log.ts";
import type { LongtailTeamsBot } from "./bot.ts";
import { isLoopback } from "./config.ts";

/** The route Teams (and the Bot Framework Emulator) post activities to. */
export const MESSAGES_PATH = "/api/messages";

/** Larger than any activity Teams sends a bot (messages are capped at about 100 KB). */
export const MAX_BODY_BYTES = 512 * 1024;

export interface TeamsMessagesDeps {
  adapter: CloudAdapter;
  bot: LongtailTeamsBot;
  /** Local mode (no app id): requests from anywhere but loopback are refused. */
  loopbackOnly: boolean;
}

class RequestBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * POST /api/messages as a plain node:http handler: reads and parses the JSON body itself (size
 * limited; the route's own parser, so Slack's signature check elsewhere still sees raw bodies)
 * and hands the request to botbuilder, which authenticates it and runs the bot.
 */
export function createTeamsMessagesHandler(
  deps: TeamsMessagesDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== "POST") return plain(res, 405, "Teams posts activities here (POST).");
    if (deps.loopbackOnly && !isLoopback(req.socket.remoteAddress ?? "")) {
      log.warn(
        { remote: req.socket.remoteAddress },
        "Teams local mode: refused a request from off this machine",
      );
      return plain(res, 403, "Teams runs without authentication here, so it answers this machine only.");
    }
    let body: Record<string, unknown>;
    try {
      body = await jsonBody(req);
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error;
      return plain(res, error.status, error.message);
    }
    const request: BotRequest = { body, headers: req.headers, method: req.method };
    await deps.adapter.process(request, expressLike(res), (context) => deps.bot.run(context));
  };
}

/** An id or type as Teams sends it: short text without control characters (they end up in URLs and headers). */
const idText = z
  .string()
  .min(1)
  .max(1_024)
  .refine((text) => ![...text].some(isControlCharacter));

function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
}

/** The activity's documented fields, typed: botbuilder and the bot read them without checking. */
const activityShape = z.looseObject({
  type: idText,
  id: idText.optional(),
  channelId: idText.optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2_048),
  conversation: z.looseObject({ id: idText }),
  from: z.looseObject({ id: idText }),
  recipient: z.looseObject({ id: idText }).optional(),
  timestamp: z.string().max(64).optional(),
  locale: z.string().max(64).optional(),
  localTimezone: z.string().max(128).optional(),
  text: z.string().max(MAX_BODY_BYTES).optional(),
  textFormat: z.string().max(32).optional(),
  replyToId: idText.optional(),
  name: z.string().max(1_024).optional(),
  channelData: z.looseObject({}).optional(),
  entities: z.array(z.looseObject({})).optional(),
  attachments: z.array(z.looseObject({})).optional(),
  membersAdded: z.array(z.looseObject({ id: idText })).optional(),
  membersRemoved: z.array(z.looseObject({ id: idText })).optional(),
});

/** Invalid UTF-8 is refused, not turned into U+FFFD (it would end up in ids and URLs). */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json"))
    throw new RequestBodyError(415, "Send the activity as application/json.");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestBodyError(413, "That activity is too large.");
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed = activityShape.safeParse(JSON.parse(strictUtf8.decode(Buffer.concat(chunks))));
    if (parsed.success) return parsed.data;
  } catch {
    // answered below
  }
  throw new RequestBodyError(400, "The body is not a JSON activity.");
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${text}\n`);
}

/** The part of an Express response botbuilder's CloudAdapter.process writes to. */
function expressLike(res: ServerResponse): BotResponse {
  return {
    socket: res.socket,
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    status(code: number) {
      res.statusCode = code;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === "object" && !Buffer.isBuffer(body)) {
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.write(JSON.stringify(body));
      } else res.write(body as string | Buffer);
    },
    end() {
      res.end();
    },
  };
}
