import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback TikTok API v2 answering as documented: `GET /v2/user/info/?fields=…` and `POST
 * /v2/video/query/?fields=…` with `{filters:{video_ids}}` (at most 20; only the token owner's videos
 * come back), every answer in the `{data, error:{code,message,log_id}}` envelope.
 */
export interface StubVideo {
  owner: string;
  create_time: number;
  like_count: number;
  comment_count: number;
  share_count: number;
  view_count: number;
}

export interface StubCall {
  method: string;
  path: string;
  fields: string | null;
  authorization: string | undefined;
  body: unknown;
}

export interface TikTokStub {
  url: string;
  calls: StubCall[];
  /** User access tokens → the user they act for. */
  users: Map<string, { username: string; follower_count: number }>;
  videos: Map<string, StubVideo>;
  failures: { status: number; headers?: Record<string, string>; body: unknown }[];
  close(): Promise<void>;
  /** Forgets every call, queued failure and fixture, as when the stub started. */
  reset(): void;
}

export async function startTikTokStub(): Promise<TikTokStub> {
  const started = (): Omit<TikTokStub, "url" | "close" | "reset"> => ({
    calls: [],
    users: new Map(),
    videos: new Map(),
    failures: [],
  });
  const stub = started();
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const text = await readBody(request);
    const body = text ? JSON.parse(text) : null;
    const authorization = request.headers.authorization;
    stub.calls.push({
      method: request.method ?? "",
      path: url.pathname,
      fields: url.searchParams.get("fields"),
      authorization,
      body,
    });
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(payload));
    };
    const failure = stub.failures.shift();
    if (failure) return reply(failure.status, failure.body, failure.headers);
    const user = stub.users.get((authorization ?? "").replace(/^Bearer /, ""));
    if (!user)
      return reply(
        401,
        errorBody("access_token_invalid", "The access token is invalid or not found in the request."),
      );
    const fields = (url.searchParams.get("fields") ?? "").split(",");
    if (request.method === "GET" && url.pathname === "/v2/user/info/") {
      const all: Record<string, unknown> = { open_id: `open-${user.username}`, ...user };
      return reply(
        200,
        ok({ user: Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])) }),
      );
    }
    if (request.method === "POST" && url.pathname === "/v2/video/query/") {
      const ids: string[] = body?.filters?.video_ids ?? [];
      if (ids.length === 0 || ids.length > 20) {
        return reply(400, errorBody("invalid_params", "video_ids must hold 1 to 20 ids"));
      }
      const videos = ids.flatMap((id) => {
        const video = stub.videos.get(id);
        if (!video || video.owner !== user.username) return [];
        const all: Record<string, unknown> = { id, ...video };
        return [Object.fromEntries(fields.filter((f) => f in all && f !== "owner").map((f) => [f, all[f]]))];
      });
      return reply(200, ok({ videos, cursor: 0, has_more: false }));
    }
    reply(404, errorBody("invalid_params", "Unknown endpoint"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    reset: () => {
      Object.assign(stub, started());
    },
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function ok(data: unknown) {
  return { data, error: { code: "ok", message: "", log_id: "20261201000000ABCDEF" } };
}

export function errorBody(code: string, message: string) {
  return { data: {}, error: { code, message, log_id: "20261201000000ABCDEF" } };
}
