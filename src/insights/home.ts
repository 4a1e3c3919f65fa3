import { errorSummary, log } from "../log.ts";
import { answer } from "./answer.ts";
import type { InsightContext } from "./context.ts";
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
 * platform's subscriptions, and what needs attention (a stopped subscription, a part that
 * could not be computed: the rest still shows).
 */
export async function homeView(
  ctx: InsightContext,
  platform: ChannelRef["platform"],
  now: Date,
): Promise<HomeView> {
  const [digest, alerts, subscriptions] = await Promise.allSettled([
    answer(ctx, { kind: "digest" }, now),
    answer(ctx, { kind: "alerts" }, now),
    subscriptionRowsOn(ctx, platform),
  ]);
  const problems: HomeProblem[] = [];
  const settled = <T>(
    result: PromiseSettledResult<T>,
    part: "digest" | "alerts" | "subscriptions",
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
  const stopped = rows.flatMap((row): HomeProblem[] =>
    row.stopped === null ? [] : [{ kind: "stopped", channel: row.channel, reason: row.stopped }],
  );
  return {
    kind: "home",
    digest: ofKind<WeeklyDigestView>(digestView, "weeklyDigest"),
    alerts: ofKind<LongevityAlertsView>(alertsView, "longevityAlerts"),
    subscriptions: rows.filter((row) => row.stopped === null),
    problems: [...problems, ...stopped],
  };
}

function ofKind<T extends ViewModel>(view: ViewModel | null, kind: T["kind"]): T | null {
  return view?.kind === kind ? (view as T) : null;
}
