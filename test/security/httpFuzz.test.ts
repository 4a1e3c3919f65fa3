import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { seedDemo } from "../../src/ingest/demo.ts";
import { log } from "../../src/log.ts";
import { instrumentRoutes, opsRoutes } from "../../src/ops/routes.ts";
import { createBackend } from "../../src/playground/backend.ts";
import { playgroundRoutes } from "../../src/playground/routes.ts";
import { SUGGESTION_ACTION_ID } from "../../src/render/slack.ts";
import { listen, type RunningServer } from "../../src/server/http.ts";
import { teamsSurface } from "../../src/server/teams.ts";
import { prepareSlack } from "../../src/slack/start.ts";
import type { Store } from "../../src/store/database.ts";
import { type Answer, expectClean, send as sendTo } from "../server/ingestSupport.ts";
import { SIGNING_SECRET, TEAM_ACME } from "../slack/support/harness.ts";
import { SlackApiStub } from "../slack/support/slackApiStub.ts";
import {
  blockActionBody,
  eventBody,
  sendSlashCommand,
  slackSignature,
  slashCommandBody,
} from "../slack/support/slackRequests.ts";
import { openTestStore } from "../support/store.ts";
import { personalMessage } from "../teams/support/activities.ts";
import { ConnectorStub } from "../teams/support/connectorStub.ts";
import { endpointFuzzer, mutatedBytes } from "./fuzzing.ts";

/**
 * Fuzzing the HTTP endpoints of the one shared server (issue 10, item 5): Slack unsigned or
 * badly signed, Slack correctly signed (event callbacks, slash-command forms and block_actions
 * payloads with one field anywhere inside them replaced, removed or repeated), Teams
 * (/api/messages, local mode), the playground API (with its page header and token) and /healthz,
 * /readyz, all in one server. Bodies are valid ones mutated, huge, deeply nested, of the wrong
 * type, invalid UTF-8, NUL, empty, under any content type. Every answer has a status from the
 * endpoint's allowed set (never 500) and holds no stack, SQL or secret; after the runs the server
 * still answers valid requests exactly.
 */

const RUNS = 200;
const NOW = new Date("2026-11-30T09:00:00Z");
const PLAYGROUND_TOKEN = "fuzz-playground-token-0123456789";
const SECRETS = [SIGNING_SECRET, TEAM_ACME.token, PLAYGROUND_TOKEN];
const PLAYGROUND_HEADERS = { authorization: `Bearer ${PLAYGROUND_TOKEN}`, "x-longtail-playground": "1" };

let store: Store;
let server: RunningServer;
let slack: SlackApiStub;
let connector: ConnectorStub;

beforeAll(async () => {
  log.level = "silent";
  store = await openTestStore();
  await seedDemo(store, { now: NOW, creators: 4 });
  slack = new SlackApiStub([TEAM_ACME]);
  await slack.start();
  connector = await new ConnectorStub().start();
  const slackConfig = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEAM_ACME.token,
    SLACK_API_URL: slack.apiUrl,
    LONGTAIL_WORKSPACE: "demo",
    HOST: "127.0.0.1",
    PORT: "0",
  });
  const routes = [
    ...opsRoutes({ store }),
    ...(await prepareSlack(slackConfig, store)).routes,
    ...(teamsSurface(loadConfig({}))?.routes(store, "127.0.0.1") ?? []),
    ...playgroundRoutes(createBackend({ store, now: () => NOW }), PLAYGROUND_TOKEN),
  ];
  server = await listen(instrumentRoutes(routes), "127.0.0.1", 0);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await connector?.close();
  await slack?.stop();
  await store?.close();
});

// ---- bodies ---------------------------------------------------------------------------------

/** A JSON value `depth` arrays deep. */
const deepJson = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("\u0000", "\u202e", "<!channel>", "'; DROP TABLE post; --", '=HYPERLINK("x")'),
);

const anyValue = fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 }));

/** A valid body (of the endpoint) with one field's value replaced by one of `values`. */
function mutatedJson(valid: Record<string, unknown>, values: fc.Arbitrary<unknown> = anyValue) {
  return fc
    .tuple(fc.constantFrom(...Object.keys(valid), "extra"), values)
    .map(([key, value]) => JSON.stringify({ ...valid, [key]: value }));
}

/** Every path to a value inside `value` (object keys and array indexes), the root excluded. */
function pathsIn(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, inner]) => [[...prefix, key], ...pathsIn(inner, [...prefix, key])]);
}

/** A deep copy of `valid` with the value at `path` replaced by `value`, or removed when it is undefined. */
function withValueAt(valid: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** `valid` with one to three values anywhere inside it replaced by any value or removed. */
function mutatedInside(valid: unknown) {
  const paths = pathsIn(valid);
  return fc
    .array(fc.tuple(fc.nat({ max: paths.length - 1 }), fc.option(anyValue, { nil: undefined })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((changes) =>
      changes.reduce((mutated, [at, value]) => {
        const path = pathsIn(mutated)[at];
        return path ? withValueAt(mutated, path, value) : mutated;
      }, valid),
    );
}

const hostileBody = fc.oneof(
  fc.constantFrom("", "null", "42", '"x"', "[]", "{", "\u0000", "payload=null", "payload=%7B"),
  fc.integer({ min: 1, max: 20_000 }).map(deepJson),
  fc.integer({ min: 1, max: 300_000 }).map((n) => JSON.stringify({ text: "x".repeat(n) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

/** Any body for an endpoint whose valid body is `valid` (a JSON object, or a form). */
function fuzzedBody(valid: string, validObject?: Record<string, unknown>, values?: fc.Arbitrary<unknown>) {
  return fc.oneof(
    hostileBody,
    mutatedBytes(valid),
    ...(validObject ? [mutatedJson(validObject, values)] : []),
  ) as fc.Arbitrary<string | Buffer>;
}

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
);

// ---- requests ---------------------------------------------------------------------------------

/** One request to the shared server on a connection of its own (no keep-alive reuse after a 413 that closed it). */
function send(
  path: string,
  init: { method?: string; body?: string | Buffer; contentType?: string; headers?: Record<string, string> },
): Promise<Answer> {
  const headers = { ...init.headers, ...(init.contentType ? { "content-type": init.contentType } : {}) };
  return sendTo(`${server.url}${path}`, { method: init.method, body: init.body, headers });
}

function badlySignedHeaders(): Record<string, string> {
  return {
    "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
    "x-slack-signature": `v0=${"0".repeat(64)}`,
  };
}

/** No stack trace, no SQL, no secret: what any answer may never hold. */
function expectNoLeak(answer: Answer): void {
  expectClean(answer);
  for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
}

const fuzzEndpoint = endpointFuzzer(RUNS, expectNoLeak);

interface FormChange {
  at: number;
  how: "remove" | "repeat" | "replace" | "add";
  value: string;
}

/** A form's fields with, per change, the field at `at` removed, sent twice, or its value replaced, or a field added. */
function changedForm(valid: [string, string][], changes: FormChange[]): [string, string][] {
  let form = valid;
  for (const { at, how, value } of changes) {
    const key = form[at % Math.max(form.length, 1)]?.[0] ?? "extra";
    if (how === "remove") form = form.filter(([name]) => name !== key);
    else if (how === "repeat") form = [...form, [key, value]];
    else if (how === "add") form = [...form, [value, value]];
    else form = form.map(([name, old]) => [name, name === key ? value : old]);
  }
  return form;
}

/** A request to /slack/events signed with the app's signing secret. */
function sendSigned(body: string, type: string): Promise<Answer> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
  };
  return send("/slack/events", { body, contentType: type, headers });
}

// ---- valid bodies -----------------------------------------------------------------------------

const VALID_COMMAND = slashCommandBody({
  command: "/longtail",
  text: "help",
  teamId: TEAM_ACME.teamId,
  responseUrl: "http://127.0.0.1:9/respond/none",
});
describe("fuzzing every HTTP endpoint of the shared server (property)", () => {
  it("/slack/events and /slack/commands, unsigned or badly signed: refused", async () => {
    await fuzzEndpoint(
      fc.tuple(
        fuzzedBody(VALID_COMMAND),
        contentType,
        fc.constantFrom("/slack/events", "/slack/commands"),
        fc.boolean(),
      ),
      ([body, type, path, withBadSignature]) => {
        const bytes = Buffer.from(body);
        const headers = withBadSignature ? badlySignedHeaders() : {};
        return send(path, { body: bytes, contentType: type, headers });
      },
      [400, 401, 404, 413, 415],
    );
  }, 60_000);

  it("/slack/events, correctly signed event callbacks whose event is any value: answered or refused, never a 500", async () => {
    // Any value in place of the event object. (A wrongly typed field inside a real event object, e.g.
    // `user: null` in an app_mention, still answers 500 from the listener: open in issue 10.)
    const event = anyValue;
    await fuzzEndpoint(
      fc.tuple(event, anyValue),
      ([fuzzedEvent, eventId]) => {
        const body = JSON.stringify({
          token: "unused",
          team_id: TEAM_ACME.teamId,
          api_app_id: "A0FUZZ",
          type: "event_callback",
          event: fuzzedEvent,
          event_id: eventId,
          event_time: 1,
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = {
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
        };
        return send("/slack/events", { body, contentType: "application/json", headers });
      },
      [200, 400, 401, 413, 415],
    );
  }, 120_000);

  it("/slack/events, signed event callbacks with fields inside them mutated: acknowledged (200), never a 500", async () => {
    const events = [
      { type: "app_mention", user: "U0FUZZ", text: "<@U0BOTACME> help", channel: "C0FUZZ", ts: "1.000100" },
      {
        type: "message",
        channel_type: "im",
        channel: "D0FUZZ",
        user: "U0FUZZ",
        text: "help",
        ts: "1.000200",
      },
      { type: "app_home_opened", user: "U0FUZZ", channel: "D0FUZZ", tab: "home", event_ts: "1.000300" },
      // People's tokens only: a valid one leaves the installation in place.
      { type: "tokens_revoked", tokens: { oauth: ["U0FUZZ"] }, event_ts: "1.000400" },
    ].map((event) => JSON.parse(eventBody(TEAM_ACME.teamId, event)) as unknown);
    await fuzzEndpoint(
      fc.constantFrom(...events).chain(mutatedInside),
      (body) => sendSigned(JSON.stringify(body), "application/json"),
      [200],
    );
  }, 120_000);

  it("/slack/events, signed slash-command forms with a field removed, repeated or replaced: answered or 400", async () => {
    const valid = [...new URLSearchParams(VALID_COMMAND)];
    const change = fc.record({
      at: fc.nat({ max: valid.length - 1 }),
      how: fc.constantFrom<FormChange["how"]>("remove", "repeat", "replace", "add"),
      value: fc.oneof(
        scalar.map(String),
        fc.integer({ min: 1, max: 100_000 }).map((n) => "x".repeat(n)),
      ),
    });
    await fuzzEndpoint(
      fc.array(change, { minLength: 1, maxLength: 3 }),
      (changes) =>
        sendSigned(
          new URLSearchParams(changedForm(valid, changes)).toString(),
          "application/x-www-form-urlencoded",
        ),
      [200, 400],
    );
  }, 120_000);

  it("/slack/events, signed block_actions payloads with fields inside them mutated: answered or 400", async () => {
    const form = blockActionBody({
      teamId: TEAM_ACME.teamId,
      actionId: SUGGESTION_ACTION_ID,
      value: "help",
      responseUrl: "http://127.0.0.1:9/respond/none",
    });
    const payload = JSON.parse(new URLSearchParams(form).get("payload") ?? "") as unknown;
    // A string action_id that names no button waits Bolt's 3 s and is then 404: the ids stay registered.
    const keepsActionId = (mutated: unknown) => {
      const id = (mutated as { actions?: { action_id?: unknown }[] }).actions?.[0]?.action_id;
      return typeof id !== "string" || id === SUGGESTION_ACTION_ID;
    };
    await fuzzEndpoint(
      mutatedInside(payload).filter(keepsActionId),
      (mutated) =>
        sendSigned(
          new URLSearchParams({ payload: JSON.stringify(mutated) }).toString(),
          "application/x-www-form-urlencoded",
        ),
      [200, 400],
    );
  }, 120_000);

  it("/api/messages (Teams, local mode) with mutated activities: answered or refused, never a 500", async () => {
    const valid = personalMessage("help", { serviceUrl: connector.serviceUrl });
    await fuzzEndpoint(
      fc.tuple(fuzzedBody(JSON.stringify(valid), valid), contentType),
      ([body, type]) => send("/api/messages", { body, contentType: type }),
      [200, 400, 401, 413, 415],
    );
  }, 120_000);

  it("/playground/api/* with the page's header and token", async () => {
    const ask = { workspace: "demo", text: "help" };
    const sendNow = { workspace: "demo", subscriptionId: 1 };
    const endpoint = fc.oneof(
      fc.tuple(fc.constant("ask"), fuzzedBody(JSON.stringify(ask), ask)),
      fc.tuple(fc.constant("send-now"), fuzzedBody(JSON.stringify(sendNow), sendNow)),
      fc.tuple(
        fc.constantFrom("import?workspace=demo&name=posts.csv", "import?workspace=demo&name=posts.json"),
        fuzzedBody("platform,creator\ninstagram,anna\n"),
      ),
    );
    await fuzzEndpoint(
      fc.tuple(endpoint, contentType),
      ([[path, body], type]) =>
        send(`/playground/api/${path}`, { body, contentType: type, headers: PLAYGROUND_HEADERS }),
      [200, 400, 404, 413, 415],
    );
  }, 60_000);

  it("GET /playground/api/* with any query, and any path or method under it", async () => {
    const query = fc.string({ maxLength: 60 }).map((text) => encodeURIComponent(text));
    const request = fc.oneof(
      fc.tuple(
        fc.constant("GET"),
        fc.constantFrom("workspaces", "suggestions", "digest", "subscriptions"),
        query.map((q) => `?workspace=${q}`),
      ),
      fc.tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE"), query, fc.constant("")),
    );
    await fuzzEndpoint(
      request,
      ([method, path, search]) =>
        send(`/playground/api/${path}${search}`, { method, headers: PLAYGROUND_HEADERS }),
      [200, 400, 404, 405, 413, 415],
    );
  }, 60_000);

  it("/healthz and /readyz, with any method, query or body", async () => {
    await fuzzEndpoint(
      fc.tuple(
        fc.constantFrom("/healthz", "/readyz"),
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE"),
        fc.string({ maxLength: 40 }).map(encodeURIComponent),
        hostileBody,
      ),
      ([path, method, query, body]) =>
        send(`${path}?${query}`, {
          method,
          body: method === "GET" || method === "HEAD" ? undefined : body,
          contentType: "application/json",
        }),
      [200, 404],
    );
  }, 60_000);

  it("still answers valid requests exactly after the runs", async () => {
    expect(await send("/healthz", { method: "GET" })).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await send("/readyz", { method: "GET" })).toMatchObject({
      status: 200,
      text: '{"status":"ready"}',
    });
    expect(
      await send("/playground/api/workspaces", { method: "GET", headers: PLAYGROUND_HEADERS }),
    ).toMatchObject({ status: 200, text: '["demo"]' });

    const id = randomUUID();
    const ack = await sendSlashCommand(
      server.url,
      { command: "/longtail", text: "help", teamId: TEAM_ACME.teamId, responseUrl: slack.responseUrl(id) },
      { signingSecret: SIGNING_SECRET },
    );
    expect(ack.status).toBe(200);
    const answer = await slack.waitFor((call) => call.path === `/respond/${id}`);
    expect(answer.body.response_type).toBe("ephemeral");

    connector.posts.length = 0;
    const teams = await send("/api/messages", {
      body: JSON.stringify(personalMessage("help", { serviceUrl: connector.serviceUrl })),
      contentType: "application/json",
    });
    expect(teams.status).toBe(200);
    expect((await connector.waitForPosts(1)).length).toBe(1);
  }, 30_000);
});
