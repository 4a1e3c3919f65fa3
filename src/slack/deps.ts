import type { App } from "@slack/bolt";
import type { Conversation } from "../conversation/converse.ts";
import type { SlackRemoval } from "../store/slackInstallations.ts";
import type { LongtailContext } from "./authorize.ts";
import type { InstallTarget } from "./installationStore.ts";

/** What every listener needs: the conversation core, the clock, and chart settings. */
export interface SlackDeps {
  /** Answers questions and builds the home screen, for one workspace at a time, in turn. */
  conversation: Conversation;
  now: () => Date;
  /** A self-hosted QuickChart server for chart images. */
  chartHost?: string;
  /**
   * Longtail was removed from this team: its tokens go, its subscriptions and alert rules stop
   * with REMOVED_FROM_SLACK as the reason, and its pending deliveries are skipped.
   */
  removeTeam(team: InstallTarget): Promise<SlackRemoval | null>;
}

export type LongtailApp = App<LongtailContext>;
