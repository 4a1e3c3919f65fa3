import { request as httpRequest } from "node:http";
import { expect } from "vitest";
import { IMPORT_COLUMNS } from "../../src/ingest/row.ts";
import { instrumentRoutes } from "../../src/ops/routes.ts";
import { schedulerFor } from "../../src/schedule/wiring.ts";
import { listen, type Route, type RunningServer } from "../../src/server/http.ts";
import { INGEST_PATH, type IngestSettings, ingestRoutes } from "../../src/server/ingest.ts";
import type { Store } from "../../src/store/database.ts";
import { createIngestToken } from "../../src/store/ingestTokens.ts";
import type { Row } from "../ingest/support.ts";
import { openTestStore } from "../support/store.ts";

export const asJson = (rows: Row[]) => JSON.stringify(rows);
export const asNdjson = (rows: Row[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join("");
export const asCsv = (rows: Row[]) =>
  [IMPORT_COLUMNS.join(","), ...rows.map((r) => IMPORT_COLUMNS.map((column) => r[column]).join(","))]
    .map((line) => `${line}\n`)
    .join("");

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** The answer's body as JSON. */
export function json(answer: Answer): unknown {
  return JSON.parse(answer.text);
}

/** One request on a connection of its own (a refusal closes its connection). */
export function send(
  url: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string> },
): Promise<Answer> {
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers = { ...(body ? { "content-length": String(body.length) } : {}), ...init.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? "POST", headers, agent: false, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 20 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Starts a request whose body never ends on its own: `chunk` is written again and again (as fast
 * as the connection takes it) until the answer arrives, or `maxBytes` were written.
 */
export function sendEndless(
  url: string,
  headers: Record<string, string>,
  chunk: Buffer,
  maxBytes: number,
): Promise<Answer & { bytesWritten: number }> {
  return new Promise((resolve, reject) => {
    let bytesWritten = 0;
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (data: Buffer) => chunks.push(data));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
          bytesWritten,
        }),
      );
    });
    // Once the server has answered and closed, the writes still under way fail: that is expected.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const writeMore = () => {
      while (!answered && bytesWritten < maxBytes) {
        bytesWritten += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", writeMore);
          return;
        }
      }
      if (!answered) req.end();
    };
    writeMore();
  });
}

/** No stack trace, no SQL, no Prisma: what no answer may hold. */
export function expectClean(answer: Answer): void {
  expect(answer.text).not.toMatch(/\n\s+at \S+ \(|\bat \S+\.(ts|js):\d+|Error: .*\n\s+at /);
  expect(answer.text).not.toMatch(
    /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^\n]*\b(FROM|VALUES|SET|WHERE)\b/,
  );
  expect(answer.text).not.toMatch(/prisma|Invalid `/i);
}

/** The ingest API on its own server over a fresh store, one workspace per test that asks for one. */
export class Harness {
  store!: Store;
  server!: RunningServer;
  /** The ingest routes as served. */
  routes: Route[] = [];
  /** Workspaces whose alert rules were checked after an ingest, in order. */
  readonly alertChecks: number[] = [];
  private workspaces = 0;

  async start(settings: IngestSettings): Promise<this> {
    this.store = await openTestStore();
    const scheduler = schedulerFor({ store: this.store, platforms: [] });
    this.routes = ingestRoutes({
      store: this.store,
      settings,
      now: () => new Date(),
      afterIngest: (workspaceId, now) => {
        this.alertChecks.push(workspaceId);
        return scheduler.afterImport(workspaceId, now);
      },
    });
    this.server = await listen(instrumentRoutes(this.routes), "127.0.0.1", 0);
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.store?.close();
  }

  /** A new workspace and a token for it. */
  async workspace(): Promise<{ slug: string; id: number; token: string; tokenId: number }> {
    this.workspaces += 1;
    const slug = `acme-${this.workspaces}`;
    const { id } = await this.store.prisma.workspace.create({ data: { slug, name: slug } });
    const { token, info } = await createIngestToken(this.store.prisma, id, "test");
    return { slug, id, token, tokenId: info.id };
  }

  ingest(token: string | null, body: string | Buffer, contentType = "application/json"): Promise<Answer> {
    return this.ingestWithHeaders(body, {
      ...(contentType ? { "content-type": contentType } : {}),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    });
  }

  ingestWithHeaders(body: string | Buffer, headers: Record<string, string>): Promise<Answer> {
    return send(`${this.server.url}${INGEST_PATH}`, { body, headers });
  }
}
