import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request as BotRequest, Response as BotResponse, CloudAdapter } from "botbuilder";
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
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
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
