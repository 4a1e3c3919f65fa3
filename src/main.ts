import { type Config, ConfigError, loadConfig, slackSettings, storeLocation } from "./config.ts";
import { seedDemo } from "./ingest/demo.ts";
import { weeklyDigest } from "./insights/weeklyDigest.ts";
import { log } from "./log.ts";
import { renderText } from "./render/text.ts";
import { createScheduler } from "./schedule/wiring.ts";
import { startSlack } from "./slack/start.ts";
import { openStore, type Store } from "./store/database.ts";
import { findWorkspace } from "./store/workspaces.ts";

/** With no chat platform configured: seed the demo workspace and print its weekly digest. */
async function runDemo(store: Store): Promise<void> {
  const now = new Date();
  console.log(
    "No Slack credentials found, so here is the demo: seeding workspace “demo” (40 creators, 12 weeks)…",
  );
  await seedDemo(store, { now });
  const workspace = await findWorkspace(store.prisma, "demo");
  if (!workspace) throw new Error("The demo workspace was not created.");
  console.log(`\n${renderText(await weeklyDigest({ prisma: store.prisma, workspace }, {}, now))}\n`);
  console.log(
    [
      'Ask more:    npm run longtail -- ask "top 5 creators by longevity"   (or "creator @anna.cooks", "compare tiers", "alerts", "help")',
      "Your data:   npm run longtail -- import posts.csv --workspace acme   (columns in README.md)",
      "Into Slack:  create the app from manifests/slack/manifest.yml, set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN,",
      "             then npm start again (step by step: manifests/slack/README.md).",
    ].join("\n"),
  );
}

/** Runs the Slack app until the process is asked to stop. */
async function runSlack(config: Config, store: Store): Promise<void> {
  const answersFromDemo = slackSettings(config)?.mode === "single" && config.LONGTAIL_WORKSPACE === "demo";
  if (answersFromDemo && !(await findWorkspace(store.prisma, "demo"))) {
    log.info("seeding the demo workspace, which this Slack team answers from until you import your own data");
    await seedDemo(store, { now: new Date() });
  }
  const slack = await startSlack(config, store);
  const scheduler = createScheduler({ config, store }).start();
  const stop = async () => {
    log.info("stopping");
    await scheduler.stop();
    await slack.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(storeLocation(config));
  if (slackSettings(config)) {
    await runSlack(config, store);
    return;
  }
  try {
    await runDemo(store);
  } finally {
    await store.close();
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
