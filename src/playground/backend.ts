import { HELP_SECTIONS } from "../commands/help.ts";
import { createConversation } from "../conversation/converse.ts";
import { forAnswering, insightContextFor } from "../conversation/workspace.ts";
import { formatImportErrors, formatImportSummary } from "../ingest/format.ts";
import { importFile } from "../ingest/importFile.ts";
import type { ImportFormat } from "../ingest/sources.ts";
import { answer } from "../insights/answer.ts";
import type { InsightContext } from "../insights/context.ts";
import type { ViewModel } from "../insights/viewModels.ts";
import { weeklyDigest } from "../insights/weeklyDigest.ts";
import { type ChartConfig, chartUrl, viewCharts } from "../render/charts.ts";
import { renderSlack, type SlackMessage } from "../render/slack.ts";
import { type AdaptiveCard, renderTeams } from "../render/teams.ts";
import { digestView } from "../schedule/plan.ts";
import { listCampaigns, listCreatorHandles } from "../store/catalog.ts";
import type { Store } from "../store/database.ts";
import { listSubscriptions } from "../store/subscriptions.ts";
import { listWorkspaceSlugs } from "../store/workspaces.ts";

/** One answer as every surface would show it, with what a script or a terminal needs to get it again. */
export interface RenderedAnswer {
  view: ViewModel;
  slack: SlackMessage;
  /** The Chart.js config behind each chart image of the Slack message, drawn in the page instead. */
  charts: { imageUrl: string; config: ChartConfig }[];
  /** The Teams Adaptive Card. */
  teams: AdaptiveCard;
  /** The `longtail` command that prints the same answer. */
  cli: string;
}

export interface PlaygroundSubscription {
  id: number;
  channel: string;
  schedule: string;
  timezone: string;
  campaign: string | null;
  nextRunAt: string;
  active: boolean;
  disabledReason: string | null;
}

export interface ImportOutcome {
  ok: boolean;
  /** What the CLI prints for the same file: the summary, or `line N: column: what` per bad row. */
  message: string;
}

/** The one narrow interface the playground's JSON API calls. */
export interface PlaygroundBackend {
  workspaces(): Promise<string[]>;
  /** Commands to offer as the person types: the help's examples, then the workspace's creators and campaigns. */
  suggestions(workspace: string): Promise<string[]>;
  ask(workspace: string, text: string): Promise<RenderedAnswer>;
  digest(workspace: string): Promise<{ digest: RenderedAnswer; alerts: RenderedAnswer }>;
  subscriptions(workspace: string): Promise<PlaygroundSubscription[]>;
  /** The digest a subscription would deliver now, without sending or writing anything. */
  sendNow(workspace: string, subscriptionId: number): Promise<RenderedAnswer | null>;
  importFile(workspace: string, file: { path: string; format: ImportFormat }): Promise<ImportOutcome>;
}

/** The card Teams gets, its charts as the same image links the Slack card has (the page draws them). */
function teamsCard(view: ViewModel): AdaptiveCard {
  return renderTeams(view, { chart: { kind: "url" } }).card;
}

export interface BackendDeps {
  store: Store;
  now: () => Date;
}

/** Words for a POSIX shell: single-quoted when they hold anything but safe characters. */
function shellWord(word: string): string {
  return /^[\w@./:=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function cliCommand(args: string[], workspace: string): string {
  return `npm run longtail -- ${[...args, "--workspace", workspace].map(shellWord).join(" ")}`;
}

/**
 * The playground over the conversation core, the way Slack and Teams ask it (one answer at a time
 * on the embedded store), rendered by the Slack and Teams renderers. A workspace that does not
 * exist throws the core's UnknownWorkspaceError: the playground never creates one by asking.
 */
export function createBackend(deps: BackendDeps): PlaygroundBackend {
  const { store } = deps;
  const conversation = createConversation(store);
  const inTurn = <T>(work: () => Promise<T>) => conversation.answers.run(work);
  const context = (slug: string): Promise<InsightContext> =>
    insightContextFor(store.prisma, { slug, createIfMissing: false });
  const rendered = (view: ViewModel, cli: string): RenderedAnswer => ({
    view,
    slack: renderSlack(view, {
      chart: { kind: "url" },
      shareButton: view.kind !== "message" && view.kind !== "help",
    }),
    charts: viewCharts(view).map(({ config }) => ({ imageUrl: chartUrl(config), config })),
    teams: teamsCard(view),
    cli,
  });

  return {
    workspaces: () => listWorkspaceSlugs(store.prisma),

    async suggestions(slug) {
      const ctx = await context(slug);
      // The help's creator and campaign examples name people this workspace may not have: its own go last.
      const examples = HELP_SECTIONS.filter(
        (section) =>
          section.typedIn === "chat" && section.topic !== "creator" && section.topic !== "campaign",
      ).flatMap((section) => section.examples);
      const handles = await listCreatorHandles(ctx.prisma, ctx.workspace.id);
      const campaigns = await listCampaigns(ctx.prisma, ctx.workspace.id);
      return [
        ...examples,
        ...handles.sort().map((handle) => `creator @${handle}`),
        ...campaigns.map(
          (campaign) => `campaign ${/\s/.test(campaign.name) ? `"${campaign.name}"` : campaign.name}`,
        ),
      ];
    },

    async ask(slug, text) {
      await context(slug);
      const view = await conversation.ask({
        text,
        workspace: { slug, createIfMissing: false },
        now: deps.now(),
      });
      return rendered(view, cliCommand(["ask", text], slug));
    },

    async digest(slug) {
      const ctx = forAnswering(await context(slug), store);
      const now = deps.now();
      const digest = await inTurn(() => weeklyDigest(ctx, {}, now));
      const alerts = await inTurn(() => answer(ctx, { kind: "alerts" }, now));
      return {
        digest: rendered(digest, cliCommand(["digest"], slug)),
        alerts: rendered(alerts, cliCommand(["ask", "alerts"], slug)),
      };
    },

    async subscriptions(slug) {
      const ctx = await context(slug);
      const listing = await listSubscriptions(ctx.prisma, ctx.workspace.id);
      return listing.map((subscription) => ({
        id: subscription.id,
        channel: `${subscription.platform === "teams" ? "Teams" : "Slack"} channel ${subscription.channelId}`,
        schedule: subscription.scheduleLabel,
        timezone: subscription.timezone,
        campaign: subscription.campaignName,
        nextRunAt: subscription.nextRunAt.toISOString(),
        active: subscription.active,
        disabledReason: subscription.disabledReason,
      }));
    },

    async sendNow(slug, subscriptionId) {
      const ctx = await context(slug);
      const subscription = await ctx.prisma.subscription.findFirst({
        where: { id: subscriptionId, workspaceId: ctx.workspace.id },
        select: { campaignId: true },
      });
      if (!subscription) return null;
      const digest = await digestView(store, { workspaceId: ctx.workspace.id, ...subscription }, deps.now());
      return rendered(digest, cliCommand(["digest", "--dry-run"], slug));
    },

    async importFile(slug, file) {
      await context(slug);
      const result = await importFile(store, {
        path: file.path,
        format: file.format,
        workspaceSlug: slug,
        skipInvalid: false,
      });
      return result.ok
        ? { ok: true, message: formatImportSummary(result.summary) }
        : { ok: false, message: formatImportErrors(result) };
    },
  };
}
