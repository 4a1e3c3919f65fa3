import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "../config.ts";
import { log } from "../log.ts";
import { InFlight } from "./shutdown.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One entry of the route table: an exact path, or every path under a prefix ending in "/". */
export interface Route {
  /** GET routes also answer HEAD. */
  method: "GET" | "POST" | "ANY";
  path: string;
  handle: Handler;
}

export interface RunningServer {
  server: Server;
  /** http://host:port as clients reach it (IPv6 hosts in brackets). */
  url: string;
  /**
   * From now on every request is answered 503 (Retry-After, connection closed), so a load balancer
   * or Slack's retry goes elsewhere or later; the port stays bound until `stop`.
   */
  stopAccepting(): void;
  /** Resolves once every connection has closed. */
  stop(): Promise<void>;
}

/** What a request arriving while the process stops is told. */
function refuseWhileStopping(res: ServerResponse): void {
  res.setHeader("connection", "close");
  res.setHeader("retry-after", "5");
  sendText(res, 503, "This server is restarting; please try again in a few seconds.\n");
}

/** The route that serves a request: exact paths first, then the longest matching prefix. */
export function findRoute(routes: readonly Route[], method: string, pathname: string): Route | undefined {
  const methodMatches = (route: Route) =>
    route.method === "ANY" || route.method === method || (route.method === "GET" && method === "HEAD");
  const exact = routes.find((route) => route.path === pathname && methodMatches(route));
  if (exact) return exact;
  return routes
    .filter((route) => route.path.endsWith("/") && pathname.startsWith(route.path) && methodMatches(route))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether an Authorization header is `Bearer <token>`: same length and same bytes, compared in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(json),
    "cache-control": "no-store",
  });
  res.end(json);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A handler that failed answers 500 with a plain sentence; the details go to the log only. */
async function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  const route = findRoute(routes, req.method ?? "GET", pathname);
  if (!route) {
    sendText(res, 404, "Not found.\n");
    return;
  }
  try {
    await route.handle(req, res);
  } catch (error) {
    log.error({ err: error, path: pathname }, "HTTP handler failed");
    if (!res.headersSent)
      sendText(res, 500, "Something went wrong on our side; the server log has the details.\n");
    else res.end();
  }
}

/**
 * The one HTTP server every surface (Slack, Teams, the playground) is mounted in. Each handler
 * runs under `inFlight`, for the shutdown to wait for (src/server/shutdown.ts).
 */
export function listen(
  routes: readonly Route[],
  host: string,
  port: number,
  inFlight: InFlight = new InFlight(),
): Promise<RunningServer> {
  let accepting = true;
  const server = createServer((req, res) => {
    if (!accepting) {
      req.resume();
      refuseWhileStopping(res);
      return;
    }
    // Until the response is out: Slack's handler returns before Bolt has read, verified and acked.
    const responded = new Promise<void>((resolve) => res.once("close", resolve));
    void inFlight.track(Promise.all([dispatch(routes, req, res), responded]));
  });
  const stopAccepting = () => {
    accepting = false;
  };
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.address.includes(":") ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${shownHost}:${address.port}`,
        stopAccepting,
        stop: () => {
          stopAccepting();
          return close(server);
        },
      });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

/** `listen`, with an address that cannot be used said in a sentence (a ConfigError) instead of a stack. */
export async function listenOrExplain(
  routes: readonly Route[],
  host: string,
  port: number,
  inFlight?: InFlight,
): Promise<RunningServer> {
  try {
    return await listen(routes, host, port, inFlight);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new ConfigError(
        `Port ${port} on ${host} is already in use: stop what uses it, or set PORT to another port (PORT=3001 npm start).`,
      );
    }
    if (code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
      throw new ConfigError(
        `Cannot listen on ${host}:${port} (${code}): set HOST to an address of this machine and PORT to a free port above 1023.`,
      );
    }
    throw error;
  }
}
