import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One activity the bot posted to the Bot Connector. */
export interface PostedActivity {
  /** The conversation id, decoded from the URL. */
  conversationId: string;
  /** Decoded from `/activities/{activityId}`: the activity replied to, or a proactive send's new id. */
  activityId: string | null;
  authorization: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: an activity as the bot sent it, read by the tests
  activity: any;
}

/** What the stub answers the next post with, instead of 200. */
export interface ScriptedFailure {
  status: number;
  code?: string;
  retryAfter?: string;
  /** Never answer this post (the connection stays open until the stub closes). */
  hang?: boolean;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

/**
 * The Bot Connector REST API as far as a bot sends messages: POST
 * /v3/conversations/{conversationId}/activities and /activities/{activityId}, ids URL-encoded,
 * answered with a ResourceResponse; failures scripted per call with Bot Connector error bodies.
 */
export class ConnectorStub {
  readonly posts: PostedActivity[] = [];
  /** Every request that reached the stub, failed or not. */
  attempts = 0;
  /** How long the stub takes to answer each post. */
  delayMs = 0;
  private readonly failures: ScriptedFailure[] = [];
  private server!: Server;
  private waiters: (() => void)[] = [];
  serviceUrl = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** The next posts fail as given, in order. */
  failNext(...failures: ScriptedFailure[]): void {
    this.failures.push(...failures);
  }

  /** Resolves once `count` activities have been posted. */
  async waitForPosts(count: number, timeoutMs = 5_000): Promise<PostedActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.posts.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} posts, got ${this.posts.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.posts.slice(0, count);
  }

  /** Forgets what was posted and any failure still scripted. */
  clear(): void {
    this.posts.length = 0;
    this.failures.length = 0;
    this.attempts = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = ACTIVITIES.exec(new URL(req.url ?? "/", "http://stub").pathname);
    if (req.method !== "POST" || !match) {
      return {
        status: 404,
        body: { error: { code: "NotFound", message: "not a Bot Connector route" } },
        headers: {},
      };
    }
    this.attempts++;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure?.hang) return new Promise<never>(() => {});
    if (failure) {
      return {
        status: failure.status,
        body: { error: { code: failure.code ?? "ServiceError", message: "scripted failure" } },
        headers: failure.retryAfter ? { "retry-after": failure.retryAfter } : {},
      };
    }
    const id = `m-${this.posts.length + 1}`;
    this.posts.push({
      conversationId: decodeURIComponent(match[1] ?? ""),
      activityId: match[2] ? decodeURIComponent(match[2]) : null,
      authorization: req.headers.authorization,
      activity: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    });
    for (const wake of this.waiters.splice(0)) wake();
    return { status: 200, body: { id }, headers: {} };
  }
}
