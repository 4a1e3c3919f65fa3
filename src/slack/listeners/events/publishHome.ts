import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { answer } from "../../../insights/answer.ts";
import type { LongevityAlertsView, ViewModel, WeeklyDigestView } from "../../../insights/viewModels.ts";
import { log } from "../../../log.ts";
import { renderSlackHome } from "../../../render/slack.ts";
import type { LongtailContext } from "../../authorize.ts";
import type { SlackDeps } from "../../deps.ts";
import { errorSummary } from "../../errors.ts";
import { homeSubscriptions } from "../../schedule.ts";
import { insightContextFor } from "../../workspace.ts";

type HomeArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs<LongtailContext>;

/** The Home tab: this week's digest, active alerts, the workspace's subscriptions, how to ask. */
export function publishHome(deps: SlackDeps) {
  return async ({ event, context, client }: HomeArgs): Promise<void> => {
    if (event.tab !== "home") return;
    try {
      const blocks = renderSlackHome(await deps.answers.run(() => homeOf(deps, context)));
      await client.views.publish({ user_id: event.user, view: { type: "home", blocks } });
    } catch (error) {
      log.error({ err: errorSummary(error), workspace: context.workspaceSlug }, "Slack Home tab failed");
    }
  };
}

async function homeOf(deps: SlackDeps, context: LongtailContext) {
  const now = deps.now();
  const ctx = await insightContextFor(deps.store, context);
  const [digest, alerts, subscriptions] = await Promise.allSettled([
    answer(ctx, { kind: "digest" }, now),
    answer(ctx, { kind: "alerts" }, now),
    homeSubscriptions(ctx),
  ]);
  const problems: string[] = [];
  const settled = <T>(result: PromiseSettledResult<T>, what: string): T | null => {
    if (result.status === "fulfilled") return result.value;
    log.error(
      { err: errorSummary(result.reason), workspace: ctx.workspace.slug },
      `Home tab: ${what} failed`,
    );
    problems.push(`${what} could not be computed just now; it will be back when you open this tab again.`);
    return null;
  };
  const listed = settled(subscriptions, "The subscriptions list");
  return {
    digest: ofKind<WeeklyDigestView>(settled(digest, "This week's digest"), "weeklyDigest"),
    alerts: ofKind<LongevityAlertsView>(settled(alerts, "The longevity alerts"), "longevityAlerts"),
    subscriptions: listed?.active ?? [],
    problems: [...problems, ...(listed?.stopped ?? [])],
  };
}

function ofKind<T extends ViewModel>(view: ViewModel | null, kind: T["kind"]): T | null {
  return view?.kind === kind ? (view as T) : null;
}
