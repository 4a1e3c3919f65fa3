import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback Instagram Graph API (Facebook Login) answering as documented: Business Discovery on the
 * brand's IG user (`business_discovery.username(H){followers_count,media.limit(N).after(C){…}}`) with
 * cursor paging, `/{media-id}/insights` for a creator's own token, Graph error bodies
 * (`{error:{message,type,code,error_subcode,fbtrace_id}}`) and the usage headers on every answer.
 */
export interface StubMedia {
  id: string;
  shortcode: string;
  timestamp: string;
  like_count?: number;
  comments_count: number;
  media_product_type: "FEED" | "REELS";
  /** Insights by metric name (reach, saved, shares, views); absent ones are left out of the answer. */
  insights?: Record<string, number>;
}

export interface StubAccount {
  followers_count: number;
  /** Newest first, as Business Discovery lists them. */
  media: StubMedia[];
}

export interface InstagramStub {
  url: string;
  calls: URL[];
  /** Business or creator accounts by username; any other username is not discoverable. */
  accounts: Map<string, StubAccount>;
  /** Creator tokens: token → the username whose media it may read insights of. */
  creatorTokens: Map<string, string>;
  /** The brand's business token; any other gets code 190. */
  businessToken: string;
  /** Headers sent with every answer (X-App-Usage, X-Business-Use-Case-Usage). */
  usageHeaders: Record<string, string>;
  failures: { status: number; headers?: Record<string, string>; body: unknown }[];
  close(): Promise<void>;
  /** Forgets every call, queued failure and fixture, as when the stub started. */
  reset(): void;
}

export const BUSINESS_ACCOUNT_ID = "17841405309211844";
export const VERSION_PATH = "/v25.0";

export async function startInstagramStub(businessToken: string): Promise<InstagramStub> {
  const started = (): Omit<InstagramStub, "url" | "close" | "reset"> => ({
    calls: [],
    accounts: new Map(),
    creatorTokens: new Map(),
    businessToken,
    usageHeaders: {},
    failures: [],
  });
  const stub = started();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    stub.calls.push(url);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json; charset=UTF-8",
        ...stub.usageHeaders,
        ...headers,
      });
      response.end(JSON.stringify(body));
    };
    const failure = stub.failures.shift();
    if (failure) return reply(failure.status, failure.body, failure.headers);
    const token = url.searchParams.get("access_token") ?? "";
    const path = url.pathname.startsWith(VERSION_PATH) ? url.pathname.slice(VERSION_PATH.length) : "";
    if (path === `/${BUSINESS_ACCOUNT_ID}`) {
      if (token !== stub.businessToken) return reply(400, expiredTokenBody());
      const answer = discover(stub, url.searchParams.get("fields") ?? "");
      return reply(answer.status, answer.body);
    }
    const insights = /^\/(\d+)\/insights$/.exec(path);
    if (insights) {
      const owner = stub.creatorTokens.get(token);
      if (!owner) return reply(400, expiredTokenBody());
      const media = stub.accounts.get(owner)?.media.find((item) => item.id === insights[1]);
      if (!media)
        return reply(400, graphErrorBody("(#10) Application does not have permission for this action", 10));
      const metrics = (url.searchParams.get("metric") ?? "").split(",");
      return reply(200, {
        data: metrics
          .filter((name) => media.insights?.[name] !== undefined)
          .map((name) => ({
            name,
            period: "lifetime",
            values: [{ value: media.insights?.[name] }],
            title: name,
            description: `${name} of the media`,
            id: `${media.id}/insights/${name}/lifetime`,
          })),
      });
    }
    reply(400, graphErrorBody("Unsupported get request.", 100, 33));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so a test may replace usageHeaders or businessToken.
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}${VERSION_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    reset: () => {
      Object.assign(stub, started());
    },
  });
}

/** Reads `business_discovery.username(H){followers_count,media.limit(N)[.after(C)]{…}}`. */
function discover(
  stub: Omit<InstagramStub, "url" | "close" | "reset">,
  fields: string,
): { status: number; body: unknown } {
  const match =
    /^business_discovery\.username\(([^)]+)\)\{followers_count,media\.limit\((\d+)\)(?:\.after\(([^)]+)\))?\{[a-z_,]+\}\}$/.exec(
      fields,
    );
  if (!match) return { status: 400, body: graphErrorBody("(#100) Tried accessing nonexisting field", 100) };
  const [, username = "", limitText = "25", cursor] = match;
  const account = stub.accounts.get(username);
  if (!account) {
    const body = {
      error: {
        message: "Invalid user id",
        type: "OAuthException",
        code: 110,
        error_subcode: 2207013,
        is_transient: false,
        error_user_title: "Cannot find User",
        error_user_msg: `The user with username: ${username} cannot be found.`,
        fbtrace_id: "AbCdEfGh123",
      },
    };
    return { status: 400, body };
  }
  const limit = Number(limitText);
  const start = cursor ? Number(Buffer.from(cursor, "base64").toString("utf8")) : 0;
  const page = account.media.slice(start, start + limit);
  const more = start + limit < account.media.length;
  const cursorAt = (offset: number) => Buffer.from(String(offset)).toString("base64");
  const body = {
    business_discovery: {
      followers_count: account.followers_count,
      media: {
        data: page.map((item) => ({
          id: item.id,
          permalink: `https://www.instagram.com/${item.media_product_type === "REELS" ? "reel" : "p"}/${item.shortcode}/`,
          timestamp: item.timestamp,
          ...(item.like_count === undefined ? {} : { like_count: item.like_count }),
          comments_count: item.comments_count,
          media_product_type: item.media_product_type,
        })),
        paging: { cursors: { before: cursorAt(start), ...(more ? { after: cursorAt(start + limit) } : {}) } },
      },
      id: "17841401441775531",
    },
    id: BUSINESS_ACCOUNT_ID,
  };
  return { status: 200, body };
}

export function graphErrorBody(message: string, code: number, subcode?: number) {
  return {
    error: {
      message,
      type: "OAuthException",
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: "AbCdEfGh123",
    },
  };
}

export function expiredTokenBody() {
  return graphErrorBody(
    "Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.",
    190,
    463,
  );
}

export function appRateLimitBody() {
  return graphErrorBody("(#4) Application request limit reached", 4);
}
