import { z } from "zod";
import { characterProblem } from "./ingest/row.ts";
import type { StoreLocation } from "./store/database.ts";
import { DEFAULT_REPLICA_CHECK_INTERVAL_MS, type ReplicaSettings } from "./store/replica.ts";
import { workspaceSlugSchema } from "./store/workspaces.ts";

/** Where a Slack variable is found, for the message when it is missing or malformed. */
const SLACK_WHERE = {
  SLACK_SIGNING_SECRET: "copy it from your app's Basic Information page (App Credentials → Signing Secret)",
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
  SLACK_CLIENT_ID: "copy it from your app's Basic Information page (App Credentials → Client ID)",
  SLACK_CLIENT_SECRET: "copy it from your app's Basic Information page (App Credentials → Client Secret)",
  SLACK_STATE_SECRET: "set any random string of at least 16 characters, e.g. `openssl rand -hex 16`",
  SLACK_APP_TOKEN:
    "create an app-level token with the connections:write scope on your app's Basic Information page (xapp-…)",
  LONGTAIL_ENCRYPTION_KEY:
    "generate one with `openssl rand -base64 32` and keep it: it decrypts stored Slack tokens",
} as const;

/** A platform API's base URL, for a proxy or a test double; unset: the platform's own. */
function apiUrl(api: string, example: string) {
  return optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: `must be an http(s) URL of ${api} or a proxy of it, like ${example}`,
  });
}

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === "" ? undefined : value));

function prefixedToken(prefix: string, name: keyof typeof SLACK_WHERE) {
  return optionalText.refine((value) => value === undefined || value.startsWith(prefix), {
    message: `must start with "${prefix}": ${SLACK_WHERE[name]}`,
  });
}

/** 32 bytes for AES-256, written as 64 hex digits or as base64. Undefined when malformed. */
export function decodeEncryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (!/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, "base64");
  return key.length === 32 ? key : undefined;
}

/**
 * A QuickChart server as the base its chart URLs start with ("https://charts.example.com:8443/qc"),
 * from a bare host (https assumed) or an http(s) URL; undefined when it is neither.
 */
export function quickChartBase(text: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  if (!URL.canParse(withScheme)) return undefined;
  const url = new URL(withScheme);
  const plain = url.username === "" && url.password === "" && url.search === "" && url.hash === "";
  if (!["http:", "https:"].includes(url.protocol) || url.hostname === "" || !plain) return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** RFC 6750's b64token, long enough not to be guessed. */
const METRICS_TOKEN = /^[A-Za-z0-9._~+/-]{16,}=*$/;

const PORT_MESSAGE = "must be a port number from 0 to 65535";
const INGEST_BYTES_MESSAGE =
  "must be a whole number of bytes from 1024 to 1073741824, like 10485760 (10 MiB)";
const INGEST_RATE_MESSAGE = "must be a whole number of requests from 1 to 100000, like 60";
/** node-cron ticks on a seconds field: only a divisor of a minute keeps the ticks even. */
const TICK_MESSAGE =
  "must be a whole number of seconds that divides a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)";
/** A claim outlives one send (the platforms' 10 s timeout), or two replicas could send one row. */
const LEASE_MESSAGE = "must be a whole number of seconds from 15 to 3600, like 60";

/** Environment variables, parsed once at the edge; a clear message for each bad one. */
const environmentSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL connection URL (postgresql://user@host:5432/db)")
      .optional(),
    /** A streaming replica of DATABASE_URL that insight answers read from while it is current. */
    DATABASE_REPLICA_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL connection URL (postgresql://user@host:5433/db)")
      .optional(),
    DATABASE_REPLICA_MAX_LAG_SECONDS: z.coerce
      .number({ error: "must be a number of seconds, like 30" })
      .positive("must be a number of seconds, like 30")
      .default(30),
    LONGTAIL_DATA_DIR: z.string().min(1, "must be a folder path, like ./data").default("./data"),
    LONGTAIL_WORKSPACE: workspaceSlugSchema.default("demo"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),

    SLACK_SIGNING_SECRET: optionalText.refine(
      (value) => value === undefined || /^[0-9a-f]{32}$/i.test(value),
      {
        message: `must be the 32-character hex signing secret: ${SLACK_WHERE.SLACK_SIGNING_SECRET}`,
      },
    ),
    SLACK_BOT_TOKEN: prefixedToken("xoxb-", "SLACK_BOT_TOKEN"),
    SLACK_CLIENT_ID: optionalText.refine((value) => value === undefined || /^\d+\.\d+$/.test(value), {
      message: `must look like 1234567890.1234567890: ${SLACK_WHERE.SLACK_CLIENT_ID}`,
    }),
    SLACK_CLIENT_SECRET: optionalText.refine(
      (value) => value === undefined || /^[0-9a-f]{32}$/i.test(value),
      {
        message: `must be the 32-character hex client secret: ${SLACK_WHERE.SLACK_CLIENT_SECRET}`,
      },
    ),
    SLACK_STATE_SECRET: optionalText.refine((value) => value === undefined || value.length >= 16, {
      message: `is too short: ${SLACK_WHERE.SLACK_STATE_SECRET}`,
    }),
    SLACK_APP_TOKEN: prefixedToken("xapp-", "SLACK_APP_TOKEN"),
    SLACK_API_URL: apiUrl("the Slack Web API", "https://slack.com/api/"),
    YOUTUBE_API_URL: apiUrl("the YouTube Data API v3", "https://www.googleapis.com/youtube/v3"),
    INSTAGRAM_API_URL: apiUrl("the Instagram Graph API", "https://graph.facebook.com/v25.0"),
    TIKTOK_API_URL: apiUrl("the TikTok API", "https://open.tiktokapis.com"),
    LONGTAIL_ENCRYPTION_KEY: optionalText.refine(
      (value) => value === undefined || decodeEncryptionKey(value) !== undefined,
      { message: `must be 32 bytes, as 64 hex digits or base64: ${SLACK_WHERE.LONGTAIL_ENCRYPTION_KEY}` },
    ),
    QUICKCHART_HOST: optionalText.transform((value, context) => {
      if (value === undefined) return undefined;
      const base = quickChartBase(value);
      if (base === undefined) {
        context.addIssue({
          code: "custom",
          message:
            "must be the host or http(s) URL of a QuickChart server, like quickchart.example.com " +
            "or https://quickchart.example.com",
        });
        return z.NEVER;
      }
      return base;
    }),
    /** Unset: 127.0.0.1 in local mode (no chat platform), 0.0.0.0 when Slack or Teams is connected. */
    HOST: z.string().trim().min(1, "must be an address to listen on, like 0.0.0.0 or 127.0.0.1").optional(),
    LONGTAIL_PLAYGROUND: z
      .enum(["0", "1"], { error: "must be 1 (serve the playground) or 0 (do not)" })
      .optional()
      .transform((value) => (value === undefined ? undefined : value === "1")),
    /** The largest body POST /api/ingest reads (the rest is refused unread: 413). */
    LONGTAIL_INGEST_MAX_BYTES: z.coerce
      .number({ error: INGEST_BYTES_MESSAGE })
      .int(INGEST_BYTES_MESSAGE)
      .min(1024, INGEST_BYTES_MESSAGE)
      .max(1024 ** 3, INGEST_BYTES_MESSAGE)
      .default(10 * 1024 * 1024),
    /** Requests one ingest token may make per minute on one replica (then 429 with Retry-After). */
    LONGTAIL_INGEST_REQUESTS_PER_MINUTE: z.coerce
      .number({ error: INGEST_RATE_MESSAGE })
      .int(INGEST_RATE_MESSAGE)
      .min(1, INGEST_RATE_MESSAGE)
      .max(100_000, INGEST_RATE_MESSAGE)
      .default(60),
    /** The bearer token /metrics asks for; unset, /metrics is open to whoever reaches the port. */
    LONGTAIL_METRICS_TOKEN: optionalText.refine((value) => value === undefined || METRICS_TOKEN.test(value), {
      message:
        "must be at least 16 characters of letters, digits and - . _ ~ + / (a bearer token), " +
        "like the output of `openssl rand -hex 24`",
    }),
    /** How long a stopping process (SIGTERM, Ctrl-C) finishes the answers it owes before closing. */
    LONGTAIL_SHUTDOWN_SECONDS: z.coerce
      .number({ error: "must be a number of seconds, like 10" })
      .min(0, "must be a number of seconds, like 10")
      .max(600, "must be at most 600 seconds")
      .default(10),
    /** How often the scheduler looks for due digests, alerts and outbox rows. */
    LONGTAIL_TICK_SECONDS: z.coerce
      .number({ error: TICK_MESSAGE })
      .int(TICK_MESSAGE)
      .min(1, TICK_MESSAGE)
      .max(60, TICK_MESSAGE)
      .refine((seconds) => 60 % seconds === 0, TICK_MESSAGE)
      .default(60),
    /** How long a replica's claim on an outbox row lasts: a dead replica's rows go to another after it. */
    LONGTAIL_OUTBOX_LEASE_SECONDS: z.coerce
      .number({ error: LEASE_MESSAGE })
      .int(LEASE_MESSAGE)
      .min(15, LEASE_MESSAGE)
      .max(3_600, LEASE_MESSAGE)
      .default(60),
    PORT: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z.coerce
        .number({ error: PORT_MESSAGE })
        .int(PORT_MESSAGE)
        .min(0, PORT_MESSAGE)
        .max(65535, PORT_MESSAGE)
        .default(3000),
    ),
  })
  .superRefine((env, issues) => {
    for (const problem of slackModeProblems(env)) issues.addIssue({ code: "custom", ...problem });
  });

export type Config = z.infer<typeof environmentSchema>;

type SlackVariable = keyof typeof SLACK_WHERE;
type SlackVariables = Partial<Record<SlackVariable, string>>;
const OAUTH_VARIABLES = [
  "SLACK_CLIENT_ID",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
  "LONGTAIL_ENCRYPTION_KEY",
] as const;

/**
 * The two ways to connect Slack, each with its own required set: one workspace with a bot token,
 * or many through OAuth. Without any Slack variable, Slack is simply off.
 */
function slackModeProblems(env: SlackVariables): { path: string[]; message: string }[] {
  const missing = (name: SlackVariable, when: string) => ({
    path: [name],
    message: `is missing ${when}: ${SLACK_WHERE[name]}`,
  });
  const single = env.SLACK_BOT_TOKEN !== undefined;
  const oauth = env.SLACK_CLIENT_ID !== undefined || env.SLACK_CLIENT_SECRET !== undefined;
  const anySlack =
    single || oauth || env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined;
  if (!anySlack) return [];
  const problems: { path: string[]; message: string }[] = [];
  if (single && oauth) {
    problems.push({
      path: ["SLACK_BOT_TOKEN"],
      message:
        "is set together with SLACK_CLIENT_ID/SLACK_CLIENT_SECRET: set SLACK_BOT_TOKEN for one workspace, " +
        "or the OAuth variables to install in many, not both",
    });
  }
  if (env.SLACK_SIGNING_SECRET === undefined)
    problems.push(missing("SLACK_SIGNING_SECRET", "(Slack needs it)"));
  if (!single && !oauth) {
    problems.push({
      path: ["SLACK_BOT_TOKEN"],
      message:
        `is missing: ${SLACK_WHERE.SLACK_BOT_TOKEN} — or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, ` +
        "SLACK_STATE_SECRET and LONGTAIL_ENCRYPTION_KEY to install in many workspaces",
    });
  }
  if (oauth && !single) {
    for (const name of OAUTH_VARIABLES) {
      if (env[name] === undefined) problems.push(missing(name, "for installs in many workspaces (OAuth)"));
    }
  }
  return problems;
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every variable that is wrong (never its value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const refused = characterProblems(env);
  if (refused.length > 0) throw new ConfigError(`Configuration problem:\n${refused.join("\n")}`);
  const parsed = environmentSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
  throw new ConfigError(`Configuration problem:\n${problems.join("\n")}`);
}

/** No variable of ours is longer (a PostgreSQL URL with every option fits easily). */
const MAX_VARIABLE_LENGTH = 4096;

/**
 * The size and character policy for every variable this app reads, before its own rule: at most
 * MAX_VARIABLE_LENGTH characters, no control character (a pasted line break, NUL) and no
 * bidirectional control, as for imported cells. Never the value: it may be a secret.
 */
function characterProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(environmentSchema.shape).flatMap((name) => {
    const value = env[name];
    if (value === undefined) return [];
    if (value.length > MAX_VARIABLE_LENGTH) {
      return [`  ${name} is ${value.length} characters long, at most ${MAX_VARIABLE_LENGTH}`];
    }
    const problem = characterProblem(value);
    return problem === undefined ? [] : [`  ${name} ${problem}`];
  });
}

/** Where the store lives: a PostgreSQL server when DATABASE_URL is set, else the embedded folder. */
export function storeLocation(config: Config, dataDirOverride?: string): StoreLocation {
  if (!config.DATABASE_URL) return { dataDir: dataDirOverride ?? config.LONGTAIL_DATA_DIR };
  return { databaseUrl: config.DATABASE_URL, replica: replicaSettings(config) };
}

/** The read replica, when DATABASE_REPLICA_URL names one. */
function replicaSettings(config: Config): ReplicaSettings | undefined {
  return config.DATABASE_REPLICA_URL
    ? {
        url: config.DATABASE_REPLICA_URL,
        maxLagSeconds: config.DATABASE_REPLICA_MAX_LAG_SECONDS,
        checkIntervalMs: DEFAULT_REPLICA_CHECK_INTERVAL_MS,
      }
    : undefined;
}

interface SlackCommon {
  signingSecret: string;
  /** Socket Mode instead of a public HTTP endpoint. */
  appToken?: string;
  apiUrl?: string;
  host: string;
  port: number;
}

/** How Slack is connected, or null when no Slack variable is set. */
export type SlackSettings =
  | (SlackCommon & { mode: "single"; botToken: string; workspaceSlug: string })
  | (SlackCommon & {
      mode: "oauth";
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      encryptionKey: Buffer;
    });

/** The Slack part of a parsed config (loadConfig has already checked the required sets). */
export function slackSettings(config: Config): SlackSettings | null {
  const signingSecret = config.SLACK_SIGNING_SECRET;
  if (signingSecret === undefined) return null;
  const common: SlackCommon = {
    signingSecret,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    host: config.HOST ?? "0.0.0.0",
    port: config.PORT,
  };
  if (config.SLACK_BOT_TOKEN !== undefined) {
    return {
      ...common,
      mode: "single",
      botToken: config.SLACK_BOT_TOKEN,
      workspaceSlug: config.LONGTAIL_WORKSPACE,
    };
  }
  const { SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, LONGTAIL_ENCRYPTION_KEY } = config;
  const encryptionKey =
    LONGTAIL_ENCRYPTION_KEY === undefined ? undefined : decodeEncryptionKey(LONGTAIL_ENCRYPTION_KEY);
  if (!SLACK_CLIENT_ID || !SLACK_CLIENT_SECRET || !SLACK_STATE_SECRET || !encryptionKey) {
    throw new ConfigError("Configuration problem: the Slack OAuth variables are incomplete.");
  }
  return {
    ...common,
    mode: "oauth",
    clientId: SLACK_CLIENT_ID,
    clientSecret: SLACK_CLIENT_SECRET,
    stateSecret: SLACK_STATE_SECRET,
    encryptionKey,
  };
}
