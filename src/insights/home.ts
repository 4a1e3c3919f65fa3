import { connectCommand } from "../collect/connections.ts";
import { errorSummary, log } from "../log.ts";
import { credentialStatuses, missingCredentials } from "../store/credentials.ts";
import { answer } from "./answer.ts";
import { type InsightContext, workspaceInfo } from "./context.ts";
import { subscriptionRowsOn } from "./subscriptions.ts";
import type {
  ChannelRef,
  HomeProblem,
  HomeView,
  LongevityAlertsView,
  SubscriptionRow,
  ViewModel,
  WeeklyDigestView,
} from "./viewModels.ts";

/**
 * A workspace's home screen on one platform: this week's digest, the active alerts, the
 * platform's subscriptions, and what needs attention (a stopped subscription, a platform key or
 * token refused or never connected, a part that could not be computed: the rest still shows).
 */
export async function homeView(
  ctx: InsightContext,
  platform: ChannelRef["platform"],
  now: Date,
): Promise<HomeView> {
  const [digest, alerts, subscriptions, connections] = await Promise.allSettled([
    answer(ctx, { kind: "digest" }, now),
    answer(ctx, { kind: "alerts" }, now),
    subscriptionRowsOn(ctx, platform),
    connectionProblems(ctx),
  ]);
  const problems: HomeProblem[] = [];
  const settled = <T>(
    result: PromiseSettledResult<T>,
    part: "digest" | "alerts" | "subscriptions" | "connections",
  ): T | null => {
    if (result.status === "fulfilled") return result.value;
    log.error(
      { err: errorSummary(result.reason), workspace: ctx.workspace.slug, part },
      "Home: a part failed",
    );
    problems.push({ kind: "unavailable", part });
    return null;
  };
  const digestView = settled(digest, "digest");
  const alertsView = settled(alerts, "alerts");
  const rows: SubscriptionRow[] = settled(subscriptions, "subscriptions") ?? [];
  const connectionIssues = settled(connections, "connections") ?? [];
  const stopped = rows.flatMap((row): HomeProblem[] =>
    row.stopped === null ? [] : [{ kind: "stopped", channel: row.channel, reason: row.stopped }],
  );
  return {
    kind: "home",
    digest: ofKind<WeeklyDigestView>(digestView, "weeklyDigest"),
    alerts: ofKind<LongevityAlertsView>(alertsView, "longevityAlerts"),
    subscriptions: rows.filter((row) => row.stopped === null),
    problems: [...problems, ...stopped, ...connectionIssues],
  };
}

/** Credentials a platform refused, and those tracked posts wait for: each with the command that fixes it. */
async function connectionProblems(ctx: InsightContext): Promise<HomeProblem[]> {
  const { id, slug } = ctx.workspace;
  const [statuses, missing] = await Promise.all([
    credentialStatuses(ctx.prisma, id),
    missingCredentials(ctx.prisma, id),
  ]);
  const refused = statuses.flatMap((status): HomeProblem[] =>
    status.problem === null
      ? []
      : [
          {
            kind: "credentialRefused",
            platform: status.platform,
            subject: status.subject,
            problem: status.problem,
            since: (status.problemAt ?? status.setAt).toISOString(),
            fix: connectCommand(status.platform, slug, status.subject),
            workspace: workspaceInfo(ctx.workspace),
          },
        ],
  );
  const waiting = missing.map(
    (need): HomeProblem => ({
      kind: "credentialMissing",
      platform: need.platform,
      creators: need.creators,
      posts: need.posts,
      fix: connectCommand(need.platform, slug, need.platform === "tiktok" ? "HANDLE" : null),
    }),
  );
  return [...refused, ...waiting];
}

function ofKind<T extends ViewModel>(view: ViewModel | null, kind: T["kind"]): T | null {
  return view?.kind === kind ? (view as T) : null;
}
