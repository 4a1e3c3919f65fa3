import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback YouTube Data API v3 serving `videos.list` and `channels.list` as documented (counts as
 * strings, hidden like counts omitted, unknown ids simply absent from `items`). It records each call.
 */
export interface YouTubeVideo {
  id: string;
  channelId: string;
  publishedAt: string;
  statistics: Record<string, string>;
}

export interface YouTubeChannel {
  id: string;
  title: string;
  customUrl?: string;
  subscriberCount: string;
  hiddenSubscriberCount?: boolean;
}

export interface YouTubeStub {
  url: string;
  calls: URL[];
  videos: Map<string, YouTubeVideo>;
  channels: Map<string, YouTubeChannel>;
  /** The next answers to give instead of data: status, headers, body. */
  failures: { status: number; headers?: Record<string, string>; body: unknown }[];
  /** How long each answer takes, so concurrent callers overlap. */
  delayMs: number;
  close(): Promise<void>;
  /** Forgets every call, queued failure and fixture, as when the stub started. */
  reset(): void;
}

export async function startYouTubeStub(apiKey: string): Promise<YouTubeStub> {
  const started = (): Omit<YouTubeStub, "url" | "close" | "reset"> => ({
    calls: [],
    videos: new Map(),
    channels: new Map(),
    failures: [],
    delayMs: 0,
  });
  const stub = started();
  const server: Server = createServer(async (request, response) => {
    if (stub.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, stub.delayMs));
    const url = requestUrl(request);
    stub.calls.push(url);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      response.end(JSON.stringify(body));
    };
    const failure = stub.failures.shift();
    if (failure) return reply(failure.status, failure.body, failure.headers);
    if (url.searchParams.get("key") !== apiKey) return reply(400, keyInvalidBody());
    const ids = (url.searchParams.get("id") ?? "").split(",").filter(Boolean);
    if (url.pathname === "/youtube/v3/videos") {
      const items = ids.flatMap((id) => {
        const video = stub.videos.get(id);
        if (!video) return [];
        return [
          {
            kind: "youtube#video",
            etag: `etag-${id}`,
            id,
            snippet: { publishedAt: video.publishedAt, channelId: video.channelId, title: `Video ${id}` },
            statistics: video.statistics,
          },
        ];
      });
      return reply(200, listBody("youtube#videoListResponse", items));
    }
    if (url.pathname === "/youtube/v3/channels") {
      const items = ids.flatMap((id) => {
        const channel = stub.channels.get(id);
        if (!channel) return [];
        const { title, customUrl, subscriberCount, hiddenSubscriberCount = false } = channel;
        return [
          {
            kind: "youtube#channel",
            etag: `etag-${id}`,
            id,
            snippet: { title, ...(customUrl ? { customUrl } : {}) },
            statistics: { viewCount: "0", subscriberCount, hiddenSubscriberCount, videoCount: "1" },
          },
        ];
      });
      return reply(200, listBody("youtube#channelListResponse", items));
    }
    reply(404, { error: { code: 404, message: "Not Found", errors: [{ reason: "notFound" }] } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so a test may set delayMs.
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}/youtube/v3`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    reset: () => {
      Object.assign(stub, started());
    },
  });
}

function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? "/", "http://127.0.0.1");
}

function listBody(kind: string, items: unknown[]) {
  return {
    kind,
    etag: "list-etag",
    pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    items,
  };
}

/** Anna Bakes' channel (@Anna.Bakes, 12,300 subscribers) and her video `id`: 1,000 views, 50 likes, 7 comments. */
export function addAnnaBakesVideo(stub: YouTubeStub, id: string, publishedAt: string): void {
  stub.channels.set("UCanna", {
    id: "UCanna",
    title: "Anna Bakes",
    customUrl: "@Anna.Bakes",
    subscriberCount: "12300",
  });
  stub.videos.set(id, {
    id,
    channelId: "UCanna",
    publishedAt,
    statistics: { viewCount: "1000", likeCount: "50", favoriteCount: "0", commentCount: "7" },
  });
}

export function keyInvalidBody() {
  return {
    error: {
      code: 400,
      message: "API key not valid. Please pass a valid API key.",
      errors: [
        {
          message: "API key not valid. Please pass a valid API key.",
          domain: "global",
          reason: "badRequest",
        },
      ],
      status: "INVALID_ARGUMENT",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
        },
      ],
    },
  };
}

export function quotaExceededBody() {
  const message = "The request cannot be completed because you have exceeded your quota.";
  return {
    error: { code: 403, message, errors: [{ message, domain: "youtube.quota", reason: "quotaExceeded" }] },
  };
}
