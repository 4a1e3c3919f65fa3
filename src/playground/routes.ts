import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { UnknownWorkspaceError } from "../conversation/workspace.ts";
import { bearerMatches, type Handler, type Route, sendJson } from "../server/http.ts";
import type { PlaygroundBackend } from "./backend.ts";

export const PLAYGROUND_PATH = "/playground/";
const API = `${PLAYGROUND_PATH}api/`;
const MAX_JSON_BYTES = 64 * 1024;
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const require = createRequire(import.meta.url);
/** The page's own files, from the source tree whether this runs from src/ or from the compiled dist/. */
const PUBLIC_DIR = fileURLToPath(new URL("../../src/playground/public/", import.meta.url));

/** The page's files and the two browser bundles it uses, served from the installed packages. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "": { file: join(PUBLIC_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "app.js": { file: join(PUBLIC_DIR, "app.js"), type: "text/javascript; charset=utf-8" },
  "blockkit.js": { file: join(PUBLIC_DIR, "blockkit.js"), type: "text/javascript; charset=utf-8" },
  "style.css": { file: join(PUBLIC_DIR, "style.css"), type: "text/css; charset=utf-8" },
  "vendor/chart.umd.js": {
    file: join(dirname(require.resolve("chart.js")), "chart.umd.js"),
    type: "text/javascript; charset=utf-8",
  },
  "vendor/markdown-it.js": {
    file: join(dirname(require.resolve("markdown-it")), "browser", "markdown-it.umd.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "vendor/adaptivecards.js": {
    file: join(dirname(require.resolve("adaptivecards/package.json")), "dist", "adaptivecards.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

/** A request the API refuses, with the sentence the page shows. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const workspaceSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "workspace must be a workspace slug");
const askSchema = z.object({ workspace: workspaceSchema, text: z.string().trim().min(1).max(1500) });
const sendNowSchema = z.object({ workspace: workspaceSchema, subscriptionId: z.number().int().positive() });
const importNameSchema = z
  .string()
  .regex(/\.(csv|json)$/i, "the file must be a .csv or .json file")
  .transform((name) => (name.toLowerCase().endsWith(".json") ? "json" : "csv") as "csv" | "json");

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new BadRequest(400, parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? "/", "http://localhost").searchParams;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new BadRequest(413, "The request is too large.");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest(400, "The request body is not JSON.");
  }
}

/** Streams an upload into a file of its own, refusing it past MAX_IMPORT_BYTES. */
async function saveUpload(req: IncomingMessage, path: string): Promise<void> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(
        size > MAX_IMPORT_BYTES ? new BadRequest(413, "The file is larger than 50 MB: use the CLI.") : null,
        chunk,
      );
    },
  });
  await pipeline(req, limit, createWriteStream(path));
}

/** The header the page sends with every API call: another site's page cannot send it without a CORS preflight. */
export const PAGE_HEADER = "x-longtail-playground";
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Why a request may not use the API, or null: without a token (the server is on loopback) the
 * Host must name this machine, which keeps a DNS-rebinding page out; with one, the token must match.
 * Every call must carry PAGE_HEADER, which keeps cross-site form and fetch posts out.
 */
function refusal(req: IncomingMessage, token: string | null): { status: number; error: string } | null {
  if (req.headers[PAGE_HEADER] !== "1")
    return { status: 403, error: "The playground's API answers the playground page only." };
  if (token === null) {
    const host = URL.parse(`http://${req.headers.host ?? ""}`)?.hostname ?? "";
    return LOOPBACK_NAMES.has(host)
      ? null
      : { status: 403, error: "The playground answers on 127.0.0.1 or localhost only." };
  }
  return bearerMatches(req.headers.authorization, token)
    ? null
    : { status: 401, error: "Open the playground with the address printed at start-up (it has the token)." };
}

function api(token: string | null, handle: (req: IncomingMessage) => Promise<unknown>): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, token);
    if (refused) {
      sendJson(res, refused.status, { error: refused.error });
      return;
    }
    try {
      sendJson(res, 200, await handle(req));
    } catch (error) {
      if (error instanceof BadRequest) sendJson(res, error.status, { error: error.message });
      else if (error instanceof UnknownWorkspaceError) sendJson(res, 404, { error: error.message });
      else throw error;
    }
  };
}

async function importUpload(backend: PlaygroundBackend, req: IncomingMessage) {
  const params = query(req);
  const workspace = parse(workspaceSchema, params.get("workspace"));
  const format = parse(importNameSchema, params.get("name") ?? "");
  const folder = await mkdtemp(join(tmpdir(), "longtail-import-"));
  try {
    const path = join(folder, `upload.${format}`);
    await saveUpload(req, path);
    return await backend.importFile(workspace, { path, format });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function staticFile(entry: { file: string; type: string }): Handler {
  return async (_req, res) => {
    const body = await readFile(entry.file);
    res.writeHead(200, {
      "content-type": entry.type,
      "content-length": body.length,
      "cache-control": "no-cache",
    });
    res.end(body);
  };
}

const redirectToPage: Handler = (_req, res) => {
  res.writeHead(302, { location: PLAYGROUND_PATH });
  res.end();
};

/**
 * The playground: its page and files under /playground/, and its JSON API under
 * /playground/api/, which takes `Authorization: Bearer <token>` when a token is set.
 */
export function playgroundRoutes(backend: PlaygroundBackend, token: string | null): Route[] {
  const workspaceParam = (req: IncomingMessage) => parse(workspaceSchema, query(req).get("workspace"));
  return [
    { method: "GET", path: "/", handle: redirectToPage },
    { method: "GET", path: "/playground", handle: redirectToPage },
    { method: "GET", path: `${API}workspaces`, handle: api(token, () => backend.workspaces()) },
    {
      method: "GET",
      path: `${API}suggestions`,
      handle: api(token, (req) => backend.suggestions(workspaceParam(req))),
    },
    {
      method: "POST",
      path: `${API}ask`,
      handle: api(token, async (req) => {
        const { workspace, text } = parse(askSchema, await readJson(req));
        return backend.ask(workspace, text);
      }),
    },
    { method: "GET", path: `${API}digest`, handle: api(token, (req) => backend.digest(workspaceParam(req))) },
    {
      method: "GET",
      path: `${API}subscriptions`,
      handle: api(token, (req) => backend.subscriptions(workspaceParam(req))),
    },
    {
      method: "POST",
      path: `${API}send-now`,
      handle: api(token, async (req) => {
        const { workspace, subscriptionId } = parse(sendNowSchema, await readJson(req));
        const preview = await backend.sendNow(workspace, subscriptionId);
        if (!preview)
          throw new BadRequest(404, `No subscription ${subscriptionId} in workspace "${workspace}".`);
        return preview;
      }),
    },
    { method: "POST", path: `${API}import`, handle: api(token, (req) => importUpload(backend, req)) },
    {
      method: "ANY",
      path: API,
      handle: api(token, async () => Promise.reject(new BadRequest(404, "Not found."))),
    },
    ...Object.entries(STATIC_FILES).map(
      ([name, entry]): Route => ({
        method: "GET",
        path: `${PLAYGROUND_PATH}${name}`,
        handle: staticFile(entry),
      }),
    ),
  ];
}
