import { configuredCollectors } from "./collect/scheduleWiring.ts";
import { type Config, ConfigError, loadConfig, slackSettings, storeLocation } from "./config.ts";
import { createConversation } from "./conversation/converse.ts";
import { log } from "./log.ts";
import { instrumentRoutes, opsRoutes } from "./ops/routes.ts";
import { createBackend } from "./playground/backend.ts";
import { PLAYGROUND_PATH, playgroundRoutes } from "./playground/routes.ts";
import { listenOrExplain, type Route } from "./server/http.ts";
import { type IngestDeps, ingestRoutes, ingestSettings } from "./server/ingest.ts";
import { playgroundAddress, type ServerPlan, serverPlan, startBanner } from "./server/plan.ts";
import { drainable, InFlight, shutDown } from "./server/shutdown.ts";
import { type TeamsSurface, teamsSurface } from "./server/teams.ts";
import { openStore, type Store } from "./store/database.ts";
import { findWorkspace, listWorkspaceSlugs } from "./store/workspaces.ts";

/** Seeds the demo on the first run (an empty store), or when a Slack team is set to answer from it. */
async function seedIfNeeded(config: Config, store: Store, local: boolean): Promise<boolean> {
  const firstRun = local && (await listWorkspaceSlugs(store.prisma)).length === 0;
  const slackOnDemo = slackSettings(config)?.mode === "single" && config.LONGTAIL_WORKSPACE === "demo";
  if (!firstRun && !(slackOnDemo && !(await findWorkspace(store.prisma, "demo")))) return false;
  log.info("seeding the demo workspace (40 creators, 12 weeks)");
  // The generator loads only when it runs: a second start does not pay for it.
  const { seedDemo } = await import("./ingest/demo.ts");
  await seedDemo(store, { now: new Date() });
  return true;
}

/** Reads the configuration, opens the store and serves; a problem on the way closes the store again. */
async function main(): Promise<void> {
  const config = loadConfig();
  const slackConfigured = slackSettings(config) !== null;
  const teams = teamsSurface(config);
  const plan = serverPlan(config, slackConfigured || teams?.settings.auth === "botframework");
  const store = await openStore(storeLocation(config));
  try {
    await serve(config, store, plan, teams);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** POST /api/ingest: its limits from the configuration, and the alert check after it as after `longtail import`. */
function ingestDeps(config: Config, store: Store): IngestDeps {
  return {
    store,
    settings: ingestSettings(config),
    afterIngest: async (workspaceId, now) =>
      (await import("./platforms.ts")).createScheduler({ config, store }).afterImport(workspaceId, now),
  };
}

/** Mounts every configured surface in one server and runs until Ctrl-C. */
async function serve(
  config: Config,
  store: Store,
  plan: ServerPlan,
  teams: TeamsSurface | null,
): Promise<void> {
  const slackConfigured = slackSettings(config) !== null;
  const seeded = await seedIfNeeded(config, store, plan.local);
  // One conversation core (one answer queue) for Slack and Teams, cut off at the shutdown deadline.
  const conversation = drainable(
    createConversation(store, { collectors: configuredCollectors(config, store) }),
  );
  const inFlight = new InFlight();
  // Loaded only when used: local mode starts without Bolt.
  const slack = slackConfigured
    ? await (await import("./slack/start.ts")).prepareSlack(config, store, {
        conversation: conversation.conversation,
        inFlight,
      })
    : null;
  const routes: Route[] = [
    ...(slack?.routes ?? []),
    ...(teams?.routes(store, plan.host, conversation.conversation) ?? []),
    ...(plan.playground
      ? playgroundRoutes(createBackend({ store, now: () => new Date() }), plan.playgroundToken)
      : []),
  ];
  // Nothing to serve over HTTP (Slack over Socket Mode alone): no port is taken.
  // Health, readiness, metrics and ingest beside them; every route under a request id, timed by surface.
  const served = instrumentRoutes([
    ...opsRoutes({ store, metricsToken: config.LONGTAIL_METRICS_TOKEN }),
    ...ingestRoutes(ingestDeps(config, store)),
    ...routes,
  ]);
  const server = routes.length > 0 ? await listenOrExplain(served, plan.host, plan.port, inFlight) : null;
  await slack?.start();
  // The platforms' senders (Bolt's and botbuilder's clients) load only when there is somewhere to send.
  const scheduler = plan.local
    ? null
    : (await import("./platforms.ts")).createScheduler({ config, store }).start();
  console.log(
    startBanner(
      plan,
      {
        url: server?.url ?? null,
        seconds: performance.now() / 1000,
        seeded,
        slack: slack !== null,
        teams: teams?.settings.auth === "botframework",
      },
      plan.playground && server ? playgroundAddress(plan, server.url, PLAYGROUND_PATH) : null,
    ),
  );
  const stop = async () => {
    await shutDown({
      stopAccepting: () => server?.stopAccepting(),
      inFlight,
      conversation,
      deadlineMs: config.LONGTAIL_SHUTDOWN_SECONDS * 1000,
      close: async () => {
        await scheduler?.stop();
        await slack?.stop();
        await server?.stop();
        await store.close();
      },
    });
    console.log("Stopped.");
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
