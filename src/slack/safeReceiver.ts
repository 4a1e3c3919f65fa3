import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  defaultBodyLimit,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
  isValidSlackRequest,
} from "@slack/bolt";
import { log } from "../log.ts";

/**
 * Refuses, with a 400, a POST to Slack's endpoint whose body is not shaped like a Slack request (JSON
 * `null`, an array, a form whose `payload` is `null`, an event_callback whose event is not an object):
 * Bolt's HTTPReceiver reads a field of it outside any try and the rejection ends the process. The body is read here once (as Bolt would, same limit)
 * and handed on buffered; every other request passes through untouched.
 */
export function refuseNonObjectBodies(
  receiver: HTTPReceiver,
  eventsPath: string,
  signingSecret: string,
): HTTPReceiver {
  const boltListener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://localhost").pathname !== eventsPath) {
      boltListener(req, res);
      return;
    }
    void passObjectBodies(req, res, boltListener, signingSecret);
  };
  return receiver;
}

type BufferedRequest = Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;

async function passObjectBodies(
  req: IncomingMessage,
  res: ServerResponse,
  next: RequestListener,
  signingSecret: string,
): Promise<void> {
  let buffered: BufferedRequest;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
  } catch (error) {
    const status = isRawBodyError(error) && error.statusCode === 413 ? 413 : 400;
    log.warn({ status }, "Slack request body could not be read");
    // The rest of the body is never read: the connection cannot carry another request.
    res.writeHead(status, { connection: "close" });
    res.end();
    return;
  }
  if (!parsesToObject(buffered) || (isSigned(buffered, signingSecret) && !shapedLikeSlack(buffered))) {
    log.warn({ status: 400 }, "Slack request body is not shaped like a Slack request");
    HTTPModuleFunctions.buildNoBodyResponse(res, 400);
    return;
  }
  next(buffered, res);
}

/** True when Bolt would parse the body into an object; a body it cannot parse is left to Bolt (400). */
function parsesToObject(req: BufferedRequest): boolean {
  const body = parsedBody(req);
  return body === undefined || (typeof body === "object" && body !== null);
}

/**
 * True when a signed body is shaped like something Slack sends: a slash command, an SSL check, or a
 * typed event or interaction payload (an event_callback carrying its event object). Bolt would
 * dereference anything else, or hold it for its unhandled-request timeout and then answer 404.
 * Unsigned bodies are left to Bolt, which answers 401 before reading them.
 */
function shapedLikeSlack(req: BufferedRequest): boolean {
  const body = parsedBody(req);
  if (body === undefined) return true;
  if (!isRecord(body)) return false;
  if (typeof body.command === "string" || "ssl_check" in body) return true;
  if (typeof body.type !== "string") return false;
  return body.type !== "event_callback" || isRecord(body.event);
}

function isSigned(req: BufferedRequest, signingSecret: string): boolean {
  const signature = req.headers["x-slack-signature"];
  const timestamp = Number(req.headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: req.rawBody.toString(),
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
  });
}

/** The body as Bolt parses it; undefined when it cannot be parsed (Bolt answers that with 400). */
function parsedBody(req: BufferedRequest): unknown {
  try {
    return HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
