import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  defaultBodyLimit,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
  isValidSlackRequest,
} from "@slack/bolt";
import { log } from "../log.ts";
import { judgeSlackRequest, type Verdict } from "./payloads.ts";

/**
 * Judges a POST to Slack's endpoint before Bolt sees it: a body that is not an object (JSON `null`,
 * an array, a form whose `payload` is `null`) is refused with 400, and a signed one not shaped as
 * Slack documents it is answered as payloads.ts decides per kind. Bolt's HTTPReceiver reads fields
 * of such bodies outside any try (a rejection there ends the process, a throw answers 500). The
 * body is read here once (as Bolt would, same limit) and handed on buffered; every other request
 * passes through untouched.
 */
export function refuseMalformedBodies(
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
    void passWellFormedBodies(req, res, boltListener, signingSecret);
  };
  return receiver;
}

type BufferedRequest = Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;

async function passWellFormedBodies(
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
  const verdict = judgeBody(buffered, signingSecret);
  if (!verdict.pass) {
    const fields = { status: verdict.status, kind: verdict.kind, problems: verdict.problems };
    if (verdict.problems.length > 0)
      log.warn(fields, "Slack request refused: not shaped as Slack documents it");
    else log.debug(fields, "Slack request dropped: no listener for it");
    HTTPModuleFunctions.buildNoBodyResponse(res, verdict.status);
    return;
  }
  next(buffered, res);
}

/**
 * A signed body is judged against Slack's documented shapes (payloads.ts); an unsigned one, or one
 * that does not parse, is left to Bolt, which answers 401 or 400 before reading it.
 */
function judgeBody(req: BufferedRequest, signingSecret: string): Verdict {
  const body = parsedBody(req);
  if (body === undefined) return { pass: true };
  if (!isRecord(body)) return { pass: false, status: 400, kind: "not an object", problems: ["(body)"] };
  return isSigned(req, signingSecret) ? judgeSlackRequest(body) : { pass: true };
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
