import type { webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { ViewModel } from "../insights/viewModels.ts";
import { errorSummary, log } from "../log.ts";
import { chartPng, viewCharts } from "../render/charts.ts";
import { renderSlack, type SlackMessage } from "../render/slack.ts";
import { fitSlackLimits } from "../render/slackLimits.ts";
import { encodeShare, type SharedQuestion } from "./share.ts";

/** Views worth posting to a channel; help, "did you mean" and confirmations are not. */
const SHAREABLE: ReadonlySet<ViewModel["kind"]> = new Set([
  "creatorProfile",
  "campaignReport",
  "compareTiers",
  "top",
  "weeklyDigest",
  "longevityAlerts",
]);

export interface ReplyOptions {
  /** Adds a "Share in channel" button that asks this question again in the channel. */
  share?: SharedQuestion;
  /** A self-hosted QuickChart server. */
  chartHost?: string;
}

/**
 * A view model as a Slack message. Charts are QuickChart image links, unless the workspace keeps
 * its charts private: then the message has none and `uploadPrivateCharts` posts them as files.
 */
export function slackReply(view: ViewModel, options: ReplyOptions = {}): SlackMessage {
  const shareValue = options.share && SHAREABLE.has(view.kind) ? encodeShare(options.share) : undefined;
  return renderSlack(view, {
    chart: hasPrivateCharts(view) ? { kind: "none" } : { kind: "url", host: options.chartHost },
    shareButton: shareValue !== undefined,
    shareValue,
  });
}

function hasPrivateCharts(view: ViewModel): boolean {
  return "workspace" in view && view.workspace.privateCharts;
}

/** A shared card says who shared it. */
export function withSharedBy(message: SlackMessage, userId: string): SlackMessage {
  const note: KnownBlock = {
    type: "context",
    elements: [{ type: "mrkdwn", text: `Shared by <@${userId}>` }],
  };
  return fitSlackLimits({ ...message, blocks: [...message.blocks, note] });
}

/**
 * For workspaces with private charts: the view's charts drawn here as PNGs and uploaded into the
 * conversation (files:write), in the answer's thread. Never for an ephemeral answer: a file in a
 * channel is seen by everyone in it.
 */
export async function uploadPrivateCharts(
  client: webApi.WebClient,
  view: ViewModel,
  channelId: string,
  threadTs: string | undefined,
): Promise<void> {
  if (!hasPrivateCharts(view)) return;
  const charts = viewCharts(view);
  if (charts.length === 0) return;
  try {
    const files = await Promise.all(
      charts.map(async (chart, i) => ({
        file: await chartPng(chart.config),
        filename: `longtail-chart-${i + 1}.png`,
        title: chart.altText.slice(0, 250),
        alt_text: chart.altText.slice(0, 1000),
      })),
    );
    await client.filesUploadV2({
      channel_id: channelId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      file_uploads: files,
    });
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "Slack private chart upload failed");
  }
}
