import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { log } from "../../src/log.ts";
import { INGEST_PATH } from "../../src/server/ingest.ts";
import { row } from "../ingest/support.ts";
import { type Answer, asCsv, asJson, Harness, send, sendEndless } from "./ingestSupport.ts";

const SPEC_PATH = new URL("../../docs/openapi.yaml", import.meta.url);
const MAX_BYTES = 4096;

/** The parts of an OpenAPI document this test reads. */
interface Spec {
  openapi: string;
  paths: Record<string, { post: Operation }>;
}
interface Operation {
  responses?: Record<string, DocumentedResponse>;
}
interface DocumentedResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: object }>;
}

function readSpec(): Spec {
  return parse(readFileSync(SPEC_PATH, "utf8")) as Spec;
}

/** The validator takes the document as its own type; it is the same object. */
const validated = (spec: Spec) => SwaggerParser.validate(spec as never);

describe("docs/openapi.yaml", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    await expect(validated(readSpec())).resolves.toMatchObject({ openapi: "3.1.1" });
  });

  it("is refused by the validator once it is broken (the check can fail)", async () => {
    const broken = readSpec();
    const ok = broken.paths[INGEST_PATH]?.post.responses?.["200"] as { description?: string };
    delete ok.description;
    await expect(validated(broken)).rejects.toThrow(/description/);
  });
});

describe("the server answers as docs/openapi.yaml says", () => {
  const harness = new Harness();
  let operation: Operation;
  const ajv = new Ajv2020({ allErrors: true });

  beforeAll(async () => {
    log.level = "silent";
    await harness.start({ maxBytes: MAX_BYTES, requestsPerMinute: 3 });
    const spec = (await SwaggerParser.dereference(readSpec() as never)) as unknown as Spec;
    operation = spec.paths[INGEST_PATH]?.post ?? {};
  }, 60_000);
  // The test closes the store itself.
  afterAll(() => harness.server.stop());

  it("describes exactly the paths the ingest routes serve", () => {
    const served = [...new Set(harness.routes.map((route) => route.path))];
    expect(Object.keys(readSpec().paths)).toEqual(served);
  });

  /** The answer's status, headers and body against the documented response of that status. */
  function expectDocumented(answer: Answer): void {
    const documented = operation.responses?.[String(answer.status)];
    expect(documented, `status ${answer.status} is documented`).toBeDefined();
    const mediaType = String(answer.headers["content-type"]).split(";")[0] ?? "";
    const content = documented?.content?.[mediaType];
    expect(content, `${mediaType} is documented for ${answer.status}`).toBeDefined();
    for (const name of Object.keys(documented?.headers ?? {})) {
      expect(answer.headers[name.toLowerCase()], `${name} on ${answer.status}`).toBeDefined();
    }
    const body = mediaType === "application/json" ? JSON.parse(answer.text) : answer.text;
    const validate = ajv.compile(content?.schema ?? {});
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  }

  it("answers every status it documents, each with the documented body and headers", async () => {
    const workspace = await harness.workspace();
    const spare = await harness.workspace();
    const post = (token: string | null, body: string, type = "application/json") =>
      harness.ingest(token, body, type);
    const answers: Answer[] = [
      await post(workspace.token, asJson([row()])),
      await post(workspace.token, asCsv([row({ fee: "abc" })]), "text/csv"),
      await post(null, "[]"),
      await post(spare.token, "[]", "text/plain"),
      await sendEndless(
        `${harness.server.url}${INGEST_PATH}`,
        { authorization: `Bearer ${spare.token}`, "content-type": "application/json" },
        Buffer.from("[".repeat(1024)),
        10 * MAX_BYTES,
      ),
      await post(workspace.token, "[]"),
      await post(workspace.token, "[]"),
    ];
    // The store gone: the token cannot be looked up.
    await harness.store.close();
    answers.push(
      await send(`${harness.server.url}${INGEST_PATH}`, {
        body: "[]",
        headers: { authorization: `Bearer ${spare.token}`, "content-type": "application/json" },
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401, 415, 413, 200, 429, 500]);
    for (const answer of answers) expectDocumented(answer);
    const documented = Object.keys(operation.responses ?? {}).map(Number);
    const byNumber = (a: number, b: number) => a - b;
    expect([...new Set(answers.map((answer) => answer.status))].sort(byNumber)).toEqual(
      documented.sort(byNumber),
    );
  }, 60_000);
});
