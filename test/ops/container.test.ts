import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// This machine cannot pull base images: the Dockerfile and the compose file are checked as text.
const root = new URL("../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, each with its instructions (continued lines joined, comments dropped). */
function dockerfileStages(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") {
      const name = instruction.args.split(/\s+AS\s+/i)[1] ?? String(stages.length);
      stages.push({ name, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

interface ComposeService {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

describe("Dockerfile", () => {
  const stages = dockerfileStages(read("Dockerfile"));
  const runtime = stages.at(-1) as Stage;
  const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string> };

  it("builds in stages and ships the last one, the runtime", () => {
    expect(stages.map((stage) => stage.name)).toEqual(["build", "dependencies", "runtime"]);
  });

  it("runs the same command as npm start", () => {
    const [cmd] = only(runtime, "CMD");
    expect((JSON.parse(cmd?.args ?? "[]") as string[]).join(" ")).toBe(packageJson.scripts.start);
  });

  it("checks its health at /healthz on the port it listens on", () => {
    const [healthcheck] = only(runtime, "HEALTHCHECK");
    const command = JSON.parse(healthcheck?.args.slice(healthcheck.args.indexOf("CMD ") + 4) ?? "[]");
    expect(command).toEqual([
      "node",
      "-e",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the healthcheck's JavaScript, as the Dockerfile has it
      "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
    ]);
    expect(only(runtime, "ENV")[0]?.args).toContain("PORT=3000");
  });

  it("runs as an unprivileged user, set after the last RUN", () => {
    const keywords = runtime.instructions.map((instruction) => instruction.keyword);
    expect(only(runtime, "USER").map((instruction) => instruction.args)).toEqual(["node"]);
    expect(keywords.lastIndexOf("USER")).toBeGreaterThan(keywords.lastIndexOf("RUN"));
  });

  it("ships compiled code and production dependencies only", () => {
    const dependencies = stages.find((stage) => stage.name === "dependencies") as Stage;
    expect(only(dependencies, "RUN").map((instruction) => instruction.args)).toEqual([
      "npm ci --omit=dev --ignore-scripts && npm cache clean --force",
    ]);
    const copies = only(runtime, "COPY").map((instruction) => instruction.args);
    expect(copies).toEqual([
      "--from=dependencies --chown=root:root /app/node_modules ./node_modules",
      "--from=build --chown=root:root /app/dist ./dist",
      "--chown=root:root package.json ./",
      "--chown=root:root bin ./bin",
      "--chown=root:root prisma/migrations ./prisma/migrations",
      "--chown=root:root src/playground/public ./src/playground/public",
    ]);
  });

  it("keeps local dependencies, builds, data and secrets out of the build context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(ignored).toEqual(
      expect.arrayContaining(["node_modules", "dist", "data", ".env", "src/generated"]),
    );
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const apps = ["app-1", "app-2"].map((name) => compose.services[name] as ComposeService);

  it("runs two replicas of the app and one PostgreSQL", () => {
    expect(Object.keys(compose.services)).toEqual(["app-1", "app-2", "postgres"]);
    expect(compose.services.postgres?.image).toBe("postgres:15");
    for (const app of apps) expect(app.build).toBe(".");
    expect(apps.map((app) => app.ports)).toEqual([["3001:3000"], ["3002:3000"]]);
  });

  it("points both replicas at the same database, once PostgreSQL is healthy", () => {
    for (const app of apps) {
      expect(app.environment?.DATABASE_URL).toBe("postgresql://longtail:longtail@postgres:5432/longtail");
      expect(app.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    }
  });

  it("checks each replica's health at /healthz on the port it listens on", () => {
    for (const app of apps) {
      expect(app.environment?.PORT).toBe("3000");
      expect(app.healthcheck?.test).toEqual([
        "CMD",
        "node",
        "-e",
        "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
      ]);
    }
  });
});
