#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { parseCommand } from "./commands/parse.ts";
import { type Config, ConfigError, loadConfig, storeLocation } from "./config.ts";
import { insightContextFor, UnknownWorkspaceError } from "./conversation/workspace.ts";
import { seedDemo } from "./ingest/demo.ts";
import { formatImportErrors, formatImportSummary } from "./ingest/format.ts";
import { importFile } from "./ingest/importFile.ts";
import { answer, isQuestion } from "./insights/answer.ts";
import type { InsightContext } from "./insights/context.ts";
import type { ViewModel } from "./insights/viewModels.ts";
import { weeklyDigest } from "./insights/weeklyDigest.ts";
import { formatterFor } from "./render/format.ts";
import { renderText } from "./render/text.ts";
import { type DigestPreview, type PreviewAction, previewDigests } from "./schedule/preview.ts";
import { openStore, type Store } from "./store/database.ts";

/** A problem the user can fix: printed as it is, exit code 1. */
class UsageError extends Error {}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 date or time such as 2026-11-23 or 2026-11-23T09:00Z, got "${value}"`,
    );
  }
  return date;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a whole number above 0, got "${value}"`);
  return n;
}

interface GlobalOptions {
  data?: string;
}

async function withStore<T>(program: Command, run: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore(storeLocation(config, (program.opts() as GlobalOptions).data));
  try {
    return await run(store, config);
  } finally {
    await store.close();
  }
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
  new Option("-w, --workspace <slug>", "workspace to use").env("LONGTAIL_WORKSPACE").default("demo");
const nowOption = () =>
  new Option("--now <iso>", "compute as of this moment instead of the current time").argParser(isoDate);

function buildProgram(): Command {
  const program = new Command("longtail")
    .description("Campaign insights that outlast the click: clicks next to sustained engagement.")
    .option("--data <dir>", "folder of the embedded database (default $LONGTAIL_DATA_DIR or ./data)")
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
      const intent = parseCommand(words.join(" "));
      if (!isQuestion(intent)) {
        throw new UsageError(
          `"${intent.kind}" is managed from a Slack or Teams channel, where the digests and alerts go.`,
        );
      }
      await withStore(program, async (store) => {
        const ctx = await workspaceContext(store, options.workspace);
        print(await answer(ctx, intent, options.now ?? new Date()), Boolean(options.json));
      });
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
          print(await weeklyDigest(ctx, {}, now), Boolean(options.json));
          return;
        }
        const previews = await previewDigests(store.prisma, ctx.workspace.id, now);
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
    .argument("<file>", "a .csv or .json file")
    .requiredOption("-w, --workspace <slug>", "workspace to import into (created if it does not exist)")
    .option("--skip-invalid", "import the valid rows and report the others, instead of importing nothing")
    .action(async (file: string, options: { workspace: string; skipInvalid?: boolean }) => {
      await withStore(program, async (store, config) => {
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
    .option("--creators <n>", "number of creators", positiveInt)
    .option("--posts <n>", "number of posts", positiveInt)
    .option("--days <n>", "days of publishing before now", positiveInt)
    .action(async (options: { now?: Date; creators?: number; posts?: number; days?: number }) => {
      await withStore(program, async (store) => {
        const summary = await seedDemo(store, {
          now: options.now ?? new Date(),
          creators: options.creators,
          posts: options.posts,
          days: options.days,
        });
        console.log(formatImportSummary(summary));
      });
    });

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

async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

const exitCode = await runCli(process.argv);
process.exitCode = Math.max(exitCode, Number(process.exitCode ?? 0));
