import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { parse as parseContentType } from "content-type";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import getRawBody from "raw-body";
import type { Config } from "../config.ts";
import { importRefusalHeadline } from "../ingest/format.ts";
import { type ImportResult, type ImportSummary, importRecords } from "../ingest/importFile.ts";
import { type ImportFormat, recordsOf } from "../ingest/sources.ts";
import { log } from "../log.ts";
import type { Store } from "../store/database.ts";
import { authenticateIngestToken, type IngestCaller } from "../store/ingestTokens.ts";
import { type Route, sendJson } from "./http.ts";

export const INGEST_PATH = "/api/ingest";

export interface IngestSettings {
  /** The largest body accepted, in bytes (LONGTAIL_INGEST_MAX_BYTES). */
  maxBytes: number;
  /** Requests one token may make per minute, on this replica (LONGTAIL_INGEST_REQUESTS_PER_MINUTE). */
  requestsPerMinute: number;
}

export interface IngestDeps {
  store: Store;
  settings: IngestSettings;
  /** After an ingest that changed data: the workspace's alert rules, as after `longtail import`; alerts queued. */
  afterIngest: (workspaceId: number, now: Date) => Promise<number>;
  now?: () => Date;
}

export function ingestSettings(config: Config): IngestSettings {
  return {
    maxBytes: config.LONGTAIL_INGEST_MAX_BYTES,
    requestsPerMinute: config.LONGTAIL_INGEST_REQUESTS_PER_MINUTE,
  };
}

/** The media types a body may have, and how each is read. */
const FORMATS: Readonly<Record<string, ImportFormat>> = {
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "text/csv": "csv",
};

const ACCEPTED_TYPES =
  "application/json (an array of objects), application/x-ndjson (one object a line) or text/csv (a header, then one row a line)";

/** A refusal: the status, its JSON body, and headers beside it. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Bad rows or an unreadable body: nothing was written. */
class BadBody extends Refusal {
  constructor(
    message: string,
    readonly problems: string[],
    readonly count: number,
  ) {
    super(400, message);
  }
}

/** POST /api/ingest (and 405 for any other method there). */
export function ingestRoutes(deps: IngestDeps): Route[] {
  const limiter = new RateLimiterMemory({ points: deps.settings.requestsPerMinute, duration: 60 });
  return [
    { method: "POST", path: INGEST_PATH, handle: (req, res) => ingest(deps, limiter, req, res) },
    {
      method: "ANY",
      path: INGEST_PATH,
      handle: (_req, res) =>
        refuse(res, new Refusal(405, "Send the rows with POST.", { allow: "POST" }), true),
    },
  ];
}

async function ingest(
  deps: IngestDeps,
  limiter: RateLimiterMemory,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  let bodyRead = false;
  try {
    const caller = await authenticated(deps.store, req, now);
    await withinRate(limiter, caller);
    const format = formatOf(req.headers["content-type"]);
    const body = await bodyOf(req, deps.settings.maxBytes);
    bodyRead = true;
    const result = await importRecords(
      deps.store,
      { records: recordsOf(Readable.from([body]), format), bytesRead: () => body.length },
      { workspaceSlug: caller.workspaceSlug, skipInvalid: false, source: "api" },
    );
    if (!result.ok) throw badBody(result);
    sendJson(res, 200, await answer(deps, caller, result.summary, now));
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    refuse(res, error, !bodyRead);
  }
}

/**
 * Refused before the body was read: the connection closes once the answer is out, so the rest of
 * the body is never read (Node would otherwise read it to its end to keep the connection).
 */
function refuse(res: ServerResponse, refusal: Refusal, bodyUnread: boolean): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  if (bodyUnread) res.setHeader("connection", "close");
  const problems =
    refusal instanceof BadBody ? { problems: refusal.problems, problemCount: refusal.count } : {};
  sendJson(res, refusal.status, { error: refusal.message, ...problems });
}

const CHALLENGE = 'Bearer realm="ingest"';

async function authenticated(store: Store, req: IncomingMessage, now: Date): Promise<IngestCaller> {
  const header = req.headers.authorization;
  const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (token === undefined) {
    throw new Refusal(
      401,
      "Send the header Authorization: Bearer <token>; `longtail token create --workspace SLUG` makes a token.",
      { "www-authenticate": CHALLENGE },
    );
  }
  const caller = await authenticateIngestToken(store.prisma, token, now);
  if (caller === null) {
    throw new Refusal(401, "The token is not valid: it is wrong, or it was revoked.", {
      "www-authenticate": `${CHALLENGE}, error="invalid_token"`,
    });
  }
  return caller;
}

async function withinRate(limiter: RateLimiterMemory, caller: IngestCaller): Promise<void> {
  try {
    await limiter.consume(String(caller.tokenId));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new Refusal(429, `Too many requests with this token: try again in ${seconds} s.`, {
      "retry-after": String(seconds),
    });
  }
}

/** How to read the body, by its Content-Type; only UTF-8 is read. */
function formatOf(header: string | undefined): ImportFormat {
  if (header === undefined) throw new Refusal(415, `Send a Content-Type: ${ACCEPTED_TYPES}.`);
  const parsed = parseContentType(header);
  const format = FORMATS[parsed.type];
  if (format === undefined) {
    throw new Refusal(
      415,
      `Content-Type ${shortened(parsed.type)} is not read here: send ${ACCEPTED_TYPES}.`,
    );
  }
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new Refusal(415, `Only UTF-8 is read, got charset ${shortened(charset)}: send the body as UTF-8.`);
  }
  return format;
}

function shortened(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** The whole body, at most `maxBytes`: a larger Content-Length is refused before a byte is read. */
async function bodyOf(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit: maxBytes, length: req.headers["content-length"] });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === "entity.too.large") {
      throw new Refusal(413, `The body is larger than ${maxBytes} bytes: send the rows in smaller parts.`);
    }
    if (type === "request.size.invalid" || type === "request.aborted") {
      throw new Refusal(400, "The body ended before its Content-Length.");
    }
    throw error;
  }
}

function badBody(result: Extract<ImportResult, { ok: false }>): BadBody {
  return new BadBody(importRefusalHeadline(result), result.problems.messages, result.problems.count);
}

/** What a stored ingest answers: rows, what was written, warnings, alerts queued. */
async function answer(deps: IngestDeps, caller: IngestCaller, summary: ImportSummary, now: Date) {
  const written = {
    creators: summary.creators,
    campaigns: summary.campaigns,
    posts: summary.posts,
    snapshots: summary.snapshots,
  };
  const changed = Object.values(written).some((count) => count > 0);
  return {
    workspace: caller.workspaceSlug,
    rows: summary.rows,
    changed,
    written,
    counterFalls: summary.counterFalls,
    alertsQueued: changed ? await alertsAfter(deps, caller, now) : 0,
  };
}

/** The data is stored whatever happens here; a failed alert check is logged (the hourly one runs anyway). */
async function alertsAfter(deps: IngestDeps, caller: IngestCaller, now: Date): Promise<number | null> {
  try {
    return await deps.afterIngest(caller.workspaceId, now);
  } catch (error) {
    log.error({ err: error, workspace: caller.workspaceSlug }, "alert check after an ingest failed");
    return null;
  }
}
