import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** What every log line written while serving one HTTP request carries. */
export interface RequestContext {
  requestId: string;
}

const requests = new AsyncLocalStorage<RequestContext>();

/** An id a proxy in front of us already gave the request is kept; anything else gets a new one. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export const REQUEST_ID_HEADER = "x-request-id";

export function requestIdFor(req: IncomingMessage): string {
  const forwarded = req.headers[REQUEST_ID_HEADER];
  return typeof forwarded === "string" && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID();
}

/** Runs `work` with the request's context, so the logs it writes name the request. */
export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return requests.run(context, work);
}

/** The fields the logger adds to each line: the request id while a request is served, else nothing. */
export function requestLogFields(): Partial<RequestContext> {
  return requests.getStore() ?? {};
}
