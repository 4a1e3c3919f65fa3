import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log.ts";
import { PLAYGROUND_PATH } from "../playground/routes.ts";
import { bearerMatches, type Route, sendJson, sendText } from "../server/http.ts";
import { INGEST_PATH } from "../server/ingest.ts";
import type { Store } from "../store/database.ts";
import { MESSAGES_PATH } from "../teams/handler.ts";
import { readiness } from "./health.ts";
import { observeRequest, registry, type Surface } from "./metrics.ts";
import { REQUEST_ID_HEADER, requestIdFor, withRequestContext } from "./requestContext.ts";

export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";
export const METRICS_PATH = "/metrics";

export interface OpsDeps {
  store: Pick<Store, "prisma">;
  /** LONGTAIL_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/** /healthz (the process answers), /readyz (the store answers and is migrated), /metrics (Prometheus). */
export function opsRoutes(deps: OpsDeps): Route[] {
  return [
    { method: "GET", path: HEALTH_PATH, handle: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    { method: "GET", path: READY_PATH, handle: (_req, res) => answerReadiness(deps, res) },
    {
      method: "GET",
      path: METRICS_PATH,
      handle: (req, res) =>
        deps.metricsToken === undefined || bearerMatches(req.headers.authorization, deps.metricsToken)
          ? answerMetrics(res)
          : refuseMetrics(res),
    },
  ];
}

function refuseMetrics(res: ServerResponse): void {
  res.setHeader("www-authenticate", 'Bearer realm="metrics"');
  sendText(res, 401, "The metrics need the header Authorization: Bearer <LONGTAIL_METRICS_TOKEN>.\n");
}

async function answerReadiness(deps: OpsDeps, res: ServerResponse): Promise<void> {
  const state = await readiness(deps.store);
  if (state.ready) sendJson(res, 200, { status: "ready" });
  else sendJson(res, 503, { status: "not ready", reason: state.reason });
}

async function answerMetrics(res: ServerResponse): Promise<void> {
  const text = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
  res.end(text);
}

/** The surface a route belongs to, by where it is mounted. */
export function surfaceOf(routePath: string): Surface {
  if (routePath.startsWith("/slack/")) return "slack";
  if (routePath === MESSAGES_PATH) return "teams";
  if (routePath === "/" || routePath === "/playground" || routePath.startsWith(PLAYGROUND_PATH))
    return "playground";
  if (routePath === INGEST_PATH || routePath.startsWith(`${INGEST_PATH}/`)) return "ingest";
  if ([HEALTH_PATH, READY_PATH, METRICS_PATH].includes(routePath)) return "ops";
  return "other";
}

/**
 * Every route, served under a request id (kept from X-Request-Id when a proxy set one, returned
 * in the response's X-Request-Id, and on every log line written meanwhile), timed into the
 * latency histogram by surface, and logged at debug level by id, method, path and status:
 * never a body or a header.
 */
export function instrumentRoutes(routes: readonly Route[]): Route[] {
  return routes.map((route) => ({ ...route, handle: instrumented(route, surfaceOf(route.path)) }));
}

function instrumented(route: Route, surface: Surface): Route["handle"] {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFor(req);
    const started = performance.now();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      observeRequest(surface, req.method ?? "GET", res.statusCode, seconds);
      withRequestContext({ requestId }, () =>
        log.debug(
          {
            surface,
            method: req.method,
            path: pathOf(req),
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          "HTTP request",
        ),
      );
    });
    return withRequestContext({ requestId }, () => route.handle(req, res));
  };
}

/** The path without its query string: tokens (the playground's) travel in the query. */
function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? "/", "http://localhost").pathname;
}
