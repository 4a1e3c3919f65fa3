import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the app made to the stub: a Web API method, a file upload, or a response_url POST. */
export interface RecordedCall {
  /** "chat.postMessage", "upload", "response_url". */
  method: string;
  path: string;
  /** The bearer token the call carried, if any. */
  token: string | undefined;
  /** Form fields or JSON, as sent; Block Kit fields (JSON strings in a form) parsed. */
  body: Record<string, unknown>;
  /** Raw body text, to check nothing secret leaks into it. */
  raw: string;
  at: number;
  /** How the stub answered: "ok", "ratelimited" (HTTP 429) or the Slack error code. */
  outcome?: string;
}

/** Slack's limits for chat.postMessage, enforced the way Slack does: 429 with Retry-After. */
export interface StubRateLimits {
  /** Milliseconds between two accepted messages to one channel (Slack: about 1,000). */
  channelIntervalMs?: number;
  /** Accepted messages per team in any one-second window. */
  teamPerSecond?: number;
}

/** A bot token the stub knows, and the team it belongs to. */
export interface StubTeam {
  token: string;
  teamId: string;
  teamName: string;
  botId: string;
  botUserId: string;
}

/** What oauth.v2.access answers for a code. */
export interface StubGrant extends StubTeam {
  code: string;
  scopes: string[];
}

/**
 * A loopback stand-in for the Slack Web API: records every call and answers the methods the app
 * uses the way Slack does. Also serves response_url POSTs (/respond/<id>) and upload URLs.
 */
export class SlackApiStub {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private readonly waiters: {
    predicate: (call: RecordedCall) => boolean;
    resolve: (call: RecordedCall) => void;
  }[] = [];
  private uploads = 0;
  private messages = 0;
  /** Extra latency per Web API call, to simulate a slow Slack. */
  delayMs = 0;
  /** Method → Slack error code to answer with (e.g. "not_in_channel"). */
  readonly failures = new Map<string, string>();
  /** Channel → Slack error code chat.postMessage answers there (e.g. "channel_not_found"). */
  readonly channelFailures = new Map<string, string>();
  /** Enforced on chat.postMessage when set. */
  rateLimits: StubRateLimits = {};
  /** Keep whole request bodies; off, only the channel and metadata are kept (long runs, as in the bench). */
  recordBodies = true;
  /** Method → Retry-After seconds of 429s to answer next, one per call, whatever the limits. */
  private readonly scriptedRateLimits = new Map<string, number[]>();
  private readonly lastPostAt = new Map<string, number>();
  private readonly teamPosts = new Map<string, number[]>();

  constructor(
    private readonly teams: StubTeam[],
    private readonly grants: StubGrant[] = [],
  ) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    // Idle connections stay open longer than a client keeps them: otherwise a request sent on a
    // connection the server is just closing fails ("fetch failed"), as it sometimes does under load.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  get origin(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** What SLACK_API_URL points at. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.origin}/respond/${id}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The messages Slack accepted (chat.postMessage answered ok), optionally in one channel. */
  posted(channel?: string): RecordedCall[] {
    return this.callsTo("chat.postMessage").filter(
      (call) => call.outcome === "ok" && (channel === undefined || call.body.channel === channel),
    );
  }

  /** The next call to `method` is answered 429 with this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.scriptedRateLimits.set(method, [...(this.scriptedRateLimits.get(method) ?? []), retryAfterSeconds]);
  }

  /** Resolves with the first call (already made or still to come) that matches. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const done = this.calls.find(predicate);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("The Slack stub saw no such call in time")), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  waitForMethod(method: string, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitFor((call) => call.method === method, timeoutMs);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", this.origin);
    const method = methodOf(url.pathname);
    const body = parseBody(raw, request.headers["content-type"] ?? "");
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith("Bearer ")
      ? authorization.slice(7)
      : (body.token as string | undefined);
    const call: RecordedCall = {
      method,
      path: url.pathname,
      token,
      body: this.recordBodies ? body : { channel: body.channel, metadata: body.metadata },
      raw: this.recordBodies ? raw : "",
      at: Date.now(),
    };
    this.calls.push(call);
    for (const waiter of this.waiters.filter((candidate) => candidate.predicate(call))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(call);
    }
    if (this.delayMs > 0 && url.pathname.startsWith("/api/")) await sleep(this.delayMs);
    const retryAfter = this.rateLimitFor(method, token, body);
    if (retryAfter !== undefined) {
      call.outcome = "ratelimited";
      response.writeHead(429, {
        "content-type": "application/json; charset=utf-8",
        "retry-after": String(retryAfter),
      });
      response.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    const answer = this.answer(method, token, body);
    const json = answer.json as { ok?: boolean; error?: string } | undefined;
    call.outcome = json?.ok === false ? json.error : "ok";
    response.writeHead(200, { "content-type": answer.contentType ?? "application/json; charset=utf-8" });
    response.end(answer.text ?? JSON.stringify(answer.json));
  }

  /** Retry-After seconds when this call is over a limit (and then it is not accepted); else undefined. */
  private rateLimitFor(
    method: string,
    token: string | undefined,
    body: Record<string, unknown>,
  ): number | undefined {
    const scripted = this.scriptedRateLimits.get(method)?.shift();
    if (scripted !== undefined) return scripted;
    const team = this.teams.find((candidate) => candidate.token === token);
    if (method !== "chat.postMessage" || !team) return undefined;
    const now = Date.now();
    const channel = String(body.channel);
    const { channelIntervalMs, teamPerSecond } = this.rateLimits;
    const channelFreeAt =
      (this.lastPostAt.get(channel) ?? Number.NEGATIVE_INFINITY) + (channelIntervalMs ?? 0);
    if (channelIntervalMs !== undefined && channelFreeAt > now)
      return Math.ceil((channelFreeAt - now) / 1000);
    const recent = (this.teamPosts.get(team.teamId) ?? []).filter((at) => at > now - 1000);
    if (teamPerSecond !== undefined && recent.length >= teamPerSecond)
      return Math.ceil(((recent[0] ?? now) + 1000 - now) / 1000);
    this.lastPostAt.set(channel, now);
    this.teamPosts.set(team.teamId, [...recent, now]);
    return undefined;
  }

  private answer(
    method: string,
    token: string | undefined,
    body: Record<string, unknown>,
  ): { json?: unknown; text?: string; contentType?: string } {
    if (method === "response_url") return { text: "ok", contentType: "text/plain" };
    if (method === "upload") return { text: "OK - 1024", contentType: "text/plain" };
    const failure =
      this.failures.get(method) ??
      (method === "chat.postMessage" ? this.channelFailures.get(String(body.channel)) : undefined);
    if (failure) return { json: { ok: false, error: failure } };
    if (method === "oauth.v2.access") return { json: this.grant(body) };
    const team = this.teams.find((candidate) => candidate.token === token);
    if (!team) return { json: { ok: false, error: "invalid_auth" } };
    switch (method) {
      case "auth.test":
        return {
          json: {
            ok: true,
            url: `https://${team.teamName.toLowerCase()}.slack.com/`,
            team: team.teamName,
            team_id: team.teamId,
            user: "longtail",
            user_id: team.botUserId,
            bot_id: team.botId,
            is_enterprise_install: false,
          },
        };
      case "chat.postMessage":
        this.messages += 1;
        return {
          json: {
            ok: true,
            channel: body.channel,
            ts: `1700000000.${String(this.messages).padStart(6, "0")}`,
          },
        };
      case "views.publish":
        return { json: { ok: true, view: { id: "V1", type: "home" } } };
      case "users.info":
        return { json: { ok: true, user: { id: body.user, tz: "Europe/Amsterdam", tz_offset: 3600 } } };
      case "files.getUploadURLExternal":
        this.uploads += 1;
        return {
          json: {
            ok: true,
            upload_url: `${this.origin}/upload/F${this.uploads}`,
            file_id: `F${this.uploads}`,
          },
        };
      case "files.completeUploadExternal":
        return { json: { ok: true, files: JSON.parse(String(body.files ?? "[]")) } };
      default:
        return { json: { ok: false, error: "unknown_method" } };
    }
  }

  private grant(body: Record<string, unknown>): unknown {
    const grant = this.grants.find((candidate) => candidate.code === body.code);
    if (!grant) return { ok: false, error: "invalid_code" };
    this.teams.push(grant);
    return {
      ok: true,
      app_id: "A0LONGTAIL",
      authed_user: { id: "U0INSTALLER" },
      scope: grant.scopes.join(","),
      token_type: "bot",
      access_token: grant.token,
      bot_user_id: grant.botUserId,
      team: { id: grant.teamId, name: grant.teamName },
      enterprise: null,
      is_enterprise_install: false,
    };
  }
}

function methodOf(pathname: string): string {
  if (pathname.startsWith("/api/")) return pathname.slice("/api/".length);
  if (pathname.startsWith("/respond/")) return "response_url";
  if (pathname.startsWith("/upload/")) return "upload";
  return pathname;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === "") return {};
  if (contentType.includes("application/json")) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
    for (const key of ["blocks", "view", "attachments", "metadata"]) {
      if (typeof fields[key] === "string") fields[key] = JSON.parse(fields[key] as string);
    }
    return fields;
  }
  return { bytes: raw.length };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
