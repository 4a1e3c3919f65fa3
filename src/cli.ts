#!/usr/bin/env node
import { randomBytes } from "node:crypto";
import { Command, Option } from "commander";
import {
  ConnectionInputError,
  connectCommand,
  creatorHandle,
  credentialKey,
  formatConnections,
  instagramAccountId,
  readSecret,
  subjectLabel,
} from "./collect/connections.ts";
import { type CollectedPlatform, PLATFORM_NAMES } from "./collect/postLink.ts";
import { handleTrackIntent, isTrackIntent, type TrackIntent } from "./collect/scheduleTracking.ts";
import { parseCommand } from "./commands/parse.ts";
import { feeAmount } from "./commands/tracking.ts";
import { type Config, ConfigError, loadConfig, storeLocation } from "./config.ts";
import { forAnswering, insightContextFor, UnknownWorkspaceError } from "./conversation/workspace.ts";
import { characterProblem } from "./ingest/row.ts";
import { answer, isQuestion } from "./insights/answer.ts";
import type { InsightContext } from "./insights/context.ts";
import type { ViewModel } from "./insights/viewModels.ts";
import { weeklyDigest } from "./insights/weeklyDigest.ts";
import { errorSummary, log } from "./log.ts";
import { formatterFor } from "./render/format.ts";
import { renderText } from "./render/text.ts";
import type { DigestPreview, PreviewAction } from "./schedule/preview.ts";
import { credentialStatuses, deleteCredential, saveCredential } from "./store/credentials.ts";
import { openStore, type Store } from "./store/database.ts";
import { type EmbeddedOptions, ONE_SHOT } from "./store/embedded.ts";
import {
  createIngestToken,
  type IngestTokenInfo,
  listIngestTokens,
  revokeIngestToken,
} from "./store/ingestTokens.ts";
import { MAX_SLUG_LENGTH, workspaceSlugSchema } from "./store/workspaces.ts";

/** A problem the user can fix: printed as it is, exit code 1. */
class UsageError extends Error {}

/** How much of a refused flag value its message shows. */
const SHOWN_VALUE_LENGTH = 60;
const MAX_ISO_LENGTH = 40;
const MAX_PATH_LENGTH = 4096;
const MAX_NUMBER_LENGTH = 20;
/** The CLI's question; the command parser answers anything over its own 1,000 characters kindly. */
const MAX_QUESTION_LENGTH = 10_000;
/** The largest demo the generator is asked for; a bench makes bigger data sets its own way. */
const MAX_SEED = { creators: 10_000, posts: 1_000_000, days: 3650 };

/** A refused value, quoted with escapes and cut to SHOWN_VALUE_LENGTH characters. */
function shown(value: string): string {
  if (value.length <= SHOWN_VALUE_LENGTH) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, SHOWN_VALUE_LENGTH))}… (${value.length} characters)`;
}

/**
 * The size and character policy of every flag and argument, before its own rule: no control or
 * bidirectional control character, no text that was not valid UTF-8 (the shell's bytes decoded
 * to U+FFFD), at most `maxLength` characters. Thrown as a UsageError: commander's own error
 * would echo the whole value.
 */
function checkedValue(flag: string, value: string, maxLength: number): string {
  const problem = value.includes("\uFFFD") ? "is not valid UTF-8" : characterProblem(value);
  if (problem !== undefined) throw new UsageError(`${flag} ${problem}.`);
  if (value.length > maxLength) {
    throw new UsageError(`${flag} is at most ${maxLength} characters, got ${shown(value)}.`);
  }
  return value;
}

function workspaceSlug(value: string): string {
  const flag = "--workspace (or LONGTAIL_WORKSPACE)";
  const parsed = workspaceSlugSchema.safeParse(checkedValue(flag, value, MAX_SLUG_LENGTH));
  if (parsed.success) return parsed.data;
  throw new UsageError(`${flag} ${parsed.error.issues[0]?.message}, got ${shown(value)}.`);
}

function isoDate(value: string): Date {
  const date = new Date(checkedValue("--now", value, MAX_ISO_LENGTH));
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now expected an ISO 8601 date or time such as 2026-11-23 or 2026-11-23T09:00Z, got ${shown(value)}.`,
    );
  }
  return date;
}

function path(flag: string): (value: string) => string {
  return (value) => checkedValue(flag, value, MAX_PATH_LENGTH);
}

function positiveInt(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(checkedValue(flag, value, MAX_NUMBER_LENGTH));
    if (!Number.isInteger(n) || n <= 0 || n > max) {
      throw new UsageError(`${flag} expected a whole number from 1 to ${max}, got ${shown(value)}.`);
    }
    return n;
  };
}

interface GlobalOptions {
  data?: string;
}

/** Opens the store for one command; an embedded one as ONE_SHOT unless `embedded` says otherwise. */
async function withStore<T>(
  program: Command,
  run: (store: Store, config: Config) => Promise<T>,
  embedded: EmbeddedOptions = ONE_SHOT,
): Promise<T> {
  const config = loadConfig();
  const store = await openStore(storeLocation(config, (program.opts() as GlobalOptions).data), embedded);
  try {
    return await run(store, config);
  } finally {
    await store.close();
  }
}

/**
 * For import and seed: the embedded store in its worker thread, optimised, with its default
 * buffers: reading the file overlaps the database's work, and long statements repay optimising.
 */
function withStoreForBulkWrites<T>(program: Command, run: (store: Store, config: Config) => Promise<T>) {
  return withStore(program, run, {});
}

/** The workspace the command names; never created here (import creates one). */
async function workspaceContext(store: Store, slug: string): Promise<InsightContext> {
  try {
    return await insightContextFor(store.prisma, { slug, createIfMissing: false });
  } catch (error) {
    if (!(error instanceof UnknownWorkspaceError)) throw error;
    throw new UsageError(
      `No workspace "${slug}". ${error.known.length ? `Known: ${error.known.join(", ")}.` : "There are none yet: run `longtail seed --demo` or `longtail import FILE --workspace SLUG`."}`,
    );
  }
}

/** Prints the answer; one that says the question could not be answered makes the exit code 1. */
function print(view: ViewModel, json: boolean): void {
  console.log(json ? JSON.stringify(view, null, 2) : renderText(view));
  const unanswered = view.kind === "notFound" || (view.kind === "help" && view.notUnderstood !== null);
  if (unanswered) process.exitCode = 1;
}

function describePreviewAction(action: PreviewAction): string {
  switch (action.kind) {
    case "due":
      return "due: the next tick sends it";
    case "upcoming":
      return "upcoming: sent then, with the data as it is by then";
    case "skipped":
      return `skipped: ${action.reason}`;
    case "stopped":
      return `stopped: ${action.reason}`;
  }
}

/** `digest --dry-run`: per subscription, where it goes, when, and what it would say. */
function formatDigestPreviews(
  previews: DigestPreview[],
  workspace: { slug: string; locale: string; currency: string },
  now: Date,
): string {
  const heading = `Dry run for workspace ${workspace.slug} as of ${now.toISOString()}: nothing is sent or written.`;
  if (previews.length === 0)
    return `${heading}\nNo digest subscriptions yet: in a Slack or Teams channel, ask Longtail to "subscribe weekly mon 09:00".`;
  const sections = previews.map((preview) => {
    const when = formatterFor({ ...workspace, timezone: preview.timezone }).dateTime(
      preview.period.toISOString(),
    );
    const action = describePreviewAction(preview.action);
    return [
      `Subscription ${preview.subscriptionId} → ${preview.platform} channel ${preview.channelId} · ${preview.scheduleLabel} (${preview.timezone})`,
      `Period ${when} (${preview.period.toISOString()}): ${action}`,
      ...(preview.digest ? ["", renderText(preview.digest)] : []),
    ].join("\n");
  });
  return [heading, ...sections].join("\n\n");
}

const workspaceOption = () =>
  new Option("-w, --workspace <slug>", "workspace to use")
    .env("LONGTAIL_WORKSPACE")
    .default("demo")
    .argParser(workspaceSlug);
const requiredWorkspaceOption = (description: string) =>
  new Option("-w, --workspace <slug>", description).makeOptionMandatory().argParser(workspaceSlug);
const nowOption = () =>
  new Option("--now <iso>", "compute as of this moment instead of the current time").argParser(isoDate);

function buildProgram(): Command {
  const program = new Command("longtail")
    .description("Campaign insights that outlast the click: clicks next to sustained engagement.")
    .option(
      "--data <dir>",
      "folder of the embedded database (default $LONGTAIL_DATA_DIR or ./data)",
      path("--data"),
    )
    .showHelpAfterError();

  program
    .command("ask")
    .description(
      'answer a question in the chat language, e.g. "creator @anna.bakes" or "top 5 creators by longevity"',
    )
    .argument("<text...>", "the question")
    .addOption(workspaceOption())
    .addOption(nowOption())
    .option("--json", "print the view model as JSON")
    .action(async (words: string[], options: { workspace: string; now?: Date; json?: boolean }) => {
      const intent = parseCommand(checkedValue("The question", words.join(" "), MAX_QUESTION_LENGTH));
      if (isTrackIntent(intent)) return runTrackIntent(program, intent, options);
      if (!isQuestion(intent)) {
        throw new UsageError(
          `"${intent.kind}" is managed from a Slack or Teams channel, where the digests and alerts go.`,
        );
      }
      await withStore(program, async (store) => {
        const ctx = forAnswering(await workspaceContext(store, options.workspace), store);
        print(await answer(ctx, intent, options.now ?? new Date()), Boolean(options.json));
      });
    });

  program
    .command("track")
    .description(
      "track a post by its link: collected now, hourly for 3 days after publishing, daily until day 60",
    )
    .argument("<url>", "the post's link (Instagram, TikTok or YouTube)", (value) =>
      checkedValue("The link", value, MAX_LINK_LENGTH),
    )
    .addOption(workspaceOption())
    .option("--campaign <name>", "the campaign it belongs to (created when missing)", (value) =>
      checkedValue("--campaign", value, MAX_CAMPAIGN_LENGTH),
    )
    .option("--fee <amount>", "what the post cost, in the workspace currency", fee)
    .addOption(nowOption())
    .option("--json", "print the view model as JSON")
    .action(async (url: string, options: TrackOptions & { campaign?: string; fee?: number }) => {
      const intent = linkIntent("track", url);
      const { campaign, fee } = options;
      await runTrackIntent(
        program,
        { ...intent, ...(campaign ? { campaign } : {}), ...(fee === undefined ? {} : { fee }) },
        options,
      );
    });

  program
    .command("untrack")
    .description("stop collecting a tracked post (its snapshots stay)")
    .argument("<url>", "the post's link", (value) => checkedValue("The link", value, MAX_LINK_LENGTH))
    .addOption(workspaceOption())
    .option("--json", "print the view model as JSON")
    .action(async (url: string, options: TrackOptions) => {
      await runTrackIntent(program, linkIntent("untrack", url), options);
    });

  program
    .command("tracked")
    .description("list the tracked posts: state, last and next collection, why one stopped")
    .argument("[campaign]", "only this campaign's", (value) =>
      checkedValue("The campaign", value, MAX_CAMPAIGN_LENGTH),
    )
    .addOption(workspaceOption())
    .addOption(nowOption())
    .option("--json", "print the view model as JSON")
    .action(async (campaign: string | undefined, options: TrackOptions) => {
      await runTrackIntent(program, campaign ? { kind: "tracked", campaign } : { kind: "tracked" }, options);
    });

  program
    .command("digest")
    .description(
      "print the weekly digest of a workspace, or (--dry-run) what the scheduler would send to whom",
    )
    .addOption(workspaceOption())
    .addOption(nowOption())
    .option(
      "--dry-run",
      "show each subscription's next digest: channel, schedule, period and text; sends nothing",
    )
    .option("--json", "print the view model as JSON")
    .action(async (options: { workspace: string; now?: Date; dryRun?: boolean; json?: boolean }) => {
      await withStore(program, async (store) => {
        const ctx = await workspaceContext(store, options.workspace);
        const now = options.now ?? new Date();
        if (!options.dryRun) {
          print(await weeklyDigest(forAnswering(ctx, store), {}, now), Boolean(options.json));
          return;
        }
        const { previewDigests } = await import("./schedule/preview.ts");
        const previews = await previewDigests(store, ctx.workspace.id, now);
        console.log(
          options.json
            ? JSON.stringify(previews, null, 2)
            : formatDigestPreviews(previews, ctx.workspace, now),
        );
      });
    });

  program
    .command("import")
    .description("import posts and metric snapshots from a CSV or JSON file (see README for the columns)")
    .argument("<file>", "a .csv or .json file", path("The file name"))
    .addOption(
      new Option("-w, --workspace <slug>", "workspace to import into (created if it does not exist)")
        .makeOptionMandatory()
        .argParser(workspaceSlug),
    )
    .option("--skip-invalid", "import the valid rows and report the others, instead of importing nothing")
    .action(async (file: string, options: { workspace: string; skipInvalid?: boolean }) => {
      await withStoreForBulkWrites(program, async (store, config) => {
        const { importFile, formatImportErrors, formatImportSummary } = await bulkWriting();
        const result = await importFile(store, {
          path: file,
          workspaceSlug: options.workspace,
          skipInvalid: Boolean(options.skipInvalid),
          progress: process.stderr.isTTY,
        });
        if (!result.ok) throw new UsageError(formatImportErrors(result));
        console.log(formatImportSummary(result.summary));
        const { workspace } = await workspaceContext(store, options.workspace);
        // Loaded only here: the platforms (Slack, Teams) are most of the CLI's start-up otherwise.
        const { createScheduler } = await import("./platforms.ts");
        const alerts = await createScheduler({ config, store }).afterImport(workspace.id, new Date());
        if (alerts > 0) console.log(`${alerts} alert(s) queued: the running bot posts them.`);
      });
    });

  program
    .command("seed")
    .description("create the deterministic demo workspace (or write the same data as CSV)")
    .requiredOption("--demo", "the demo data set")
    .addOption(nowOption())
    .option("--creators <n>", "number of creators", positiveInt("--creators", MAX_SEED.creators))
    .option("--posts <n>", "number of posts", positiveInt("--posts", MAX_SEED.posts))
    .option("--days <n>", "days of publishing before now", positiveInt("--days", MAX_SEED.days))
    .action(async (options: { now?: Date; creators?: number; posts?: number; days?: number }) => {
      await withStoreForBulkWrites(program, async (store) => {
        const { seedDemo, formatImportSummary } = await bulkWriting();
        const summary = await seedDemo(store, {
          now: options.now ?? new Date(),
          creators: options.creators,
          posts: options.posts,
          days: options.days,
        });
        console.log(formatImportSummary(summary));
      });
    });

  addTokenCommands(program);

  addConnectionCommands(program);

  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations (the store also does this when it opens)")
    .action(async () => {
      await withStore(program, async (store) => {
        const applied = store.migrationsApplied;
        console.log(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(", ")}.`
            : `Database schema is up to date (${store.kind}).`,
        );
      });
    });

  return program;
}

/** The longest token name (`token create --name`). */
const MAX_TOKEN_NAME_LENGTH = 100;

function tokenName(value: string): string {
  const name = checkedValue("--name", value, MAX_TOKEN_NAME_LENGTH).trim();
  if (name === "") throw new UsageError("--name must not be blank.");
  return name;
}

function shownTime(date: Date | null): string {
  return date === null ? "never" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `token list`: one aligned line a token, never the token itself. */
function formatTokenList(slug: string, tokens: IngestTokenInfo[]): string {
  if (tokens.length === 0) {
    return `No ingest tokens in workspace "${slug}": \`longtail token create --workspace ${slug}\` makes one.`;
  }
  const rows = [
    ["id", "name", "created", "last used", "state"],
    ...tokens.map((token) => [
      String(token.id),
      token.name,
      shownTime(token.createdAt),
      shownTime(token.lastUsedAt),
      token.revokedAt === null ? "active" : `revoked ${shownTime(token.revokedAt)}`,
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `token create | list | revoke`: the bearer tokens of POST /api/ingest, per workspace. */
function addTokenCommands(program: Command): void {
  const token = program
    .command("token")
    .description("bearer tokens of the HTTP ingest API (POST /api/ingest), per workspace");
  token
    .command("create")
    .description("make a token; it is printed once (on stdout) and stored only as its SHA-256")
    .addOption(requiredWorkspaceOption("workspace the token imports into"))
    .option("--name <name>", "what the token is for, as `token list` shows it", tokenName, "ingest")
    .action(async (options: { workspace: string; name: string }) => {
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        const created = await createIngestToken(store.prisma, workspace.id, options.name);
        console.log(created.token);
        console.error(
          `Token ${created.info.id} ("${created.info.name}") for workspace "${workspace.slug}". Keep it now: ` +
            `it is never shown again. Revoke it with \`longtail token revoke ${created.info.id} --workspace ${workspace.slug}\`.`,
        );
      });
    });
  token
    .command("list")
    .description("the workspace's tokens: id, name, created, last used, revoked (never the token)")
    .addOption(requiredWorkspaceOption("workspace whose tokens to list"))
    .action(async (options: { workspace: string }) => {
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        console.log(formatTokenList(workspace.slug, await listIngestTokens(store.prisma, workspace.id)));
      });
    });
  token
    .command("revoke")
    .description("revoke a token: requests with it get 401 from then on")
    .argument("<id>", "the token's id, as `token list` shows it", positiveInt("The token id", 2_147_483_647))
    .addOption(requiredWorkspaceOption("workspace the token belongs to"))
    .action(async (id: number, options: { workspace: string }) => {
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        const outcome = await revokeIngestToken(store.prisma, workspace.id, id, new Date());
        if (outcome === "unknown") {
          throw new UsageError(
            `No token ${id} in workspace "${workspace.slug}": \`longtail token list --workspace ${workspace.slug}\` shows its tokens.`,
          );
        }
        console.log(
          outcome === "revoked"
            ? `Token ${id} of workspace "${workspace.slug}" is revoked: requests with it now get 401.`
            : `Token ${id} of workspace "${workspace.slug}" was already revoked.`,
        );
      });
    });
}

interface ConnectOptions {
  workspace: string;
  creator?: string;
  accountId?: string;
  tokenFile?: string;
  apiKeyFile?: string;
}

/** `connect youtube | instagram | tiktok`, `connections`, `disconnect`: the collectors' credentials. */
function addConnectionCommands(program: Command): void {
  const creatorOption = (description: string) =>
    new Option("--creator <@handle>", description).argParser((value) =>
      creatorHandle(checkedValue("--creator", value, 65)),
    );
  const secretFile = (flag: string, what: string) =>
    new Option(`${flag} <file>`, `file holding ${what} ("-" reads stdin); never on the command line`)
      .makeOptionMandatory()
      .argParser(path(flag));
  const connect = program
    .command("connect")
    .description(
      "give the collectors a platform's key or token (stored encrypted with LONGTAIL_ENCRYPTION_KEY)",
    );
  const save = (platform: CollectedPlatform, flag: "--api-key-file" | "--token-file") => {
    return async (options: ConnectOptions) => {
      const subject = options.creator ?? null;
      if (platform === "instagram" && (subject === null) === (options.accountId === undefined)) {
        throw new UsageError(
          "connect instagram takes --account-id (the brand's business account) or --creator (a creator's insights token), one of them.",
        );
      }
      // The key and the secret are checked before the store opens: a bad input writes nothing.
      const key = credentialKey(loadConfig().LONGTAIL_ENCRYPTION_KEY);
      const source = flag === "--api-key-file" ? options.apiKeyFile : options.tokenFile;
      const secret = await readSecret(flag, source ?? "-");
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        await saveCredential(store.prisma, key, workspace.id, {
          platform,
          subject,
          secret,
          accountId: options.accountId ?? null,
        });
        console.log(
          `Connected ${PLATFORM_NAMES[platform]} for ${subjectLabel(subject)} in workspace "${workspace.slug}"` +
            `${options.accountId ? ` (business account ${options.accountId})` : ""}; stored encrypted. ` +
            `\`longtail connections --workspace ${workspace.slug}\` shows its state.`,
        );
      });
    };
  };
  connect
    .command("youtube")
    .description("a YouTube Data API v3 key (views, likes, comments, subscribers)")
    .addOption(requiredWorkspaceOption("workspace the key collects for"))
    .addOption(secretFile("--api-key-file", "the API key"))
    .action(save("youtube", "--api-key-file"));
  connect
    .command("instagram")
    .description(
      "the brand's business account and its token (Business Discovery), or a creator's token (--creator: insights)",
    )
    .addOption(requiredWorkspaceOption("workspace the token collects for"))
    .addOption(
      new Option("--account-id <id>", "the brand's Instagram business account id").argParser((value) =>
        instagramAccountId(checkedValue("--account-id", value, 32)),
      ),
    )
    .addOption(creatorOption("the creator whose own token this is (media insights)"))
    .addOption(secretFile("--token-file", "the access token"))
    .action(save("instagram", "--token-file"));
  connect
    .command("tiktok")
    .description(
      "a creator's TikTok user access token (video.list, user.info.basic, user.info.profile, user.info.stats)",
    )
    .addOption(requiredWorkspaceOption("workspace the token collects for"))
    .addOption(creatorOption("the creator whose token this is").makeOptionMandatory())
    .addOption(secretFile("--token-file", "the access token"))
    .action(save("tiktok", "--token-file"));

  program
    .command("connections")
    .description("the workspace's platform credentials and their state (never the secrets)")
    .addOption(requiredWorkspaceOption("workspace whose connections to list"))
    .action(async (options: { workspace: string }) => {
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        console.log(formatConnections(workspace.slug, await credentialStatuses(store.prisma, workspace.id)));
      });
    });

  program
    .command("disconnect")
    .description("remove a platform credential: its posts wait until one is connected again")
    .argument("<platform>", "youtube, instagram or tiktok", (value) => {
      if (value === "youtube" || value === "instagram" || value === "tiktok") return value;
      throw new UsageError(`disconnect expected youtube, instagram or tiktok, got ${shown(value)}.`);
    })
    .addOption(requiredWorkspaceOption("workspace to disconnect"))
    .addOption(creatorOption("a creator's token instead of the workspace's own"))
    .action(async (platform: CollectedPlatform, options: ConnectOptions) => {
      const subject = options.creator ?? null;
      await withStore(program, async (store) => {
        const { workspace } = await workspaceContext(store, options.workspace);
        if (!(await deleteCredential(store.prisma, workspace.id, platform, subject))) {
          throw new UsageError(
            `Workspace "${workspace.slug}" has no ${PLATFORM_NAMES[platform]} credential for ${subjectLabel(subject)}.`,
          );
        }
        console.log(
          `Disconnected ${PLATFORM_NAMES[platform]} for ${subjectLabel(subject)} in workspace "${workspace.slug}". ` +
            `To connect again: ${connectCommand(platform, workspace.slug, subject)}`,
        );
      });
    });
}

const MAX_LINK_LENGTH = 2048;
const MAX_CAMPAIGN_LENGTH = 200;

interface TrackOptions {
  workspace: string;
  now?: Date;
  json?: boolean;
}

function fee(value: string): number {
  const amount = feeAmount(checkedValue("--fee", value, MAX_NUMBER_LENGTH));
  if (amount === null)
    throw new UsageError(`--fee expected an amount such as 250 or 99.50, got ${shown(value)}.`);
  return amount;
}

/** The link as the chat parser reads it: the same refusals for a link that is no post. */
function linkIntent(
  kind: "track" | "untrack",
  url: string,
): Extract<TrackIntent, { kind: "track" | "untrack" }> {
  const intent = parseCommand(`${kind} ${url}`);
  if (intent.kind === "track" || intent.kind === "untrack") return { kind, link: intent.link };
  throw new UsageError(intent.kind === "unknown" ? intent.reason : `${shown(url)} is not a post's link.`);
}

/**
 * What import and seed need, loaded only for them: `longtail ask` starts without the import's
 * modules (about a tenth of its start-up).
 */
async function bulkWriting() {
  const [{ importFile }, { seedDemo }, { formatImportErrors, formatImportSummary }] = await Promise.all([
    import("./ingest/importFile.ts"),
    import("./ingest/demo.ts"),
    import("./ingest/format.ts"),
  ]);
  return { importFile, seedDemo, formatImportErrors, formatImportSummary };
}

/** track, untrack and tracked through the same handler as the chat; a refusal exits 1. */
async function runTrackIntent(program: Command, intent: TrackIntent, options: TrackOptions): Promise<void> {
  await withStore(program, async (store, config) => {
    const ctx = await workspaceContext(store, options.workspace);
    const { configuredCollectors } = await import("./collect/scheduleWiring.ts");
    const deps = { store, collectors: configuredCollectors(config, store) };
    const request = { userId: null, owner: `cli-${process.pid}` };
    const view = await handleTrackIntent(deps, ctx, intent, request, options.now ?? new Date());
    print(view, Boolean(options.json));
    if (view.kind === "message" && view.tone === "error") process.exitCode = 1;
  });
}

async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof ConnectionInputError
    ) {
      console.error(error.message);
      return 1;
    }
    return unexpected(error);
  }
}

/** Anything else: one line with a reference id, the details in the log line that carries it. */
function unexpected(error: unknown): number {
  const reference = randomBytes(4).toString("hex");
  log.error({ err: errorSummary(error), reference }, "The command failed");
  console.error(
    `The command failed unexpectedly (reference ${reference}); the log line with that reference says why.`,
  );
  return 2;
}

const exitCode = await runCli(process.argv);
process.exitCode = Math.max(exitCode, Number(process.exitCode ?? 0));
