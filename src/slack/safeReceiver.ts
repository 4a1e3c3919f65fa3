import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { defaultBodyLimit, HTTPModuleFunctions, type HTTPReceiver, isRawBodyError } from "@slack/bolt";
import { log } from "../log.ts";

/**
 * Refuses, with a 400, a POST to Slack's endpoint whose body is not a JSON object or a form (JSON
 * `null`, or a form whose `payload` is `null`): Bolt's HTTPReceiver reads a field of it outside any
 * try and the rejection ends the process. The body is read here once (as Bolt would, same limit)
 * and handed on buffered; every other request passes through untouched.
 */
export function refuseNonObjectBodies(receiver: HTTPReceiver, eventsPath: string): HTTPReceiver {
  const boltListener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://localhost").pathname !== eventsPath) {
      boltListener(req, res);
      return;
    }
    void passObjectBodies(req, res, boltListener);
  };
  return receiver;
}

type BufferedRequest = Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;

async function passObjectBodies(
  req: IncomingMessage,
  res: ServerResponse,
  next: RequestListener,
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
  if (!parsesToObject(buffered)) {
    log.warn({ status: 400 }, "Slack request body is not an object");
    HTTPModuleFunctions.buildNoBodyResponse(res, 400);
    return;
  }
  next(buffered, res);
}

/** True when Bolt would parse the body into an object; a body it cannot parse is left to Bolt (400). */
function parsesToObject(req: BufferedRequest): boolean {
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    return true;
  }
  return typeof body === "object" && body !== null;
}
