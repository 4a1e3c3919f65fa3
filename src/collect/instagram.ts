import { z } from "zod";
import {
  CollectError,
  type Collected,
  type CollectedPost,
  type Collector,
  NO_COUNTERS,
  type PlatformEndpoint,
  type PostRef,
  perCreatorCollector,
  platformCall,
  safeJson,
} from "./collector.ts";
import { CREATOR_HANDLE, parsePostLink } from "./postLink.ts";

/**
 * Instagram Graph API (Instagram API with Facebook Login). Public counters come from Business
 * Discovery, asked through the brand's own business account: `GET /{ig-user-id}?fields=
 * business_discovery.username(HANDLE){followers_count,media{…}}`, paged with `.after(cursor)` until
 * every wanted shortcode is found. Where the creator authorised the brand's app, their token reads
 * `GET /{media-id}/insights` for reach, saves, shares and views. Impressions are no longer given.
 */
export const GRAPH_API_VERSION = "v25.0";
export const INSTAGRAM_API_URL = `https://graph.facebook.com/${GRAPH_API_VERSION}`;

const PAGE_SIZE = 50;
/** Business Discovery pages read per creator and call: the creator's latest 1,000 posts. */
const MAX_PAGES = 20;
const INSIGHT_METRICS = "reach,saved,shares,views";
/** Usage (percent of a limit in X-App-Usage / X-Business-Use-Case-Usage) at which calls stop. */
export const PAUSE_AT_PERCENT = 90;
/** The pause when the usage headers name no time to regain access: a quarter of Meta's rolling hour. */
const DEFAULT_PAUSE_MS = 15 * 60_000;
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002]);
const TOKEN_CODE = 190;
/** Business Discovery: the username is not a business or creator account (or no account at all). */
const NOT_DISCOVERABLE = { code: 110, subcode: 2207013 };

const count = z.number().int().nonnegative().optional();

const media = z.object({
  id: z.string(),
  permalink: z.string(),
  timestamp: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
  like_count: count,
  comments_count: count,
  media_product_type: z.string().optional(),
});

const discovery = z.object({
  business_discovery: z.object({
    followers_count: count,
    media: z
      .object({
        data: z.array(media),
        paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional() }).optional(),
      })
      .optional(),
  }),
});

const insights = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      values: z.array(z.object({ value: z.number() })).optional(),
      total_value: z.object({ value: z.number() }).optional(),
    }),
  ),
});

const graphError = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
type GraphError = z.infer<typeof graphError>["error"];

const usagePercents = z.object({
  call_count: z.number().optional(),
  total_time: z.number().optional(),
  total_cputime: z.number().optional(),
  estimated_time_to_regain_access: z.number().optional(),
});
const businessUseCaseUsage = z.record(z.string(), z.array(usagePercents));

export interface InstagramOptions extends PlatformEndpoint {
  /** The brand's own Instagram business account id (the IG user id Business Discovery runs on). */
  accountId: string;
  accessToken: string;
  /** The token a creator gave by authorising the brand's app (media insights); null when none. */
  creatorToken?: (handle: string) => Promise<string | null>;
}

/** A Graph API answer: its body when it worked, and how close the app is to its rate limits. */
interface GraphAnswer {
  body: unknown;
  usage: Usage;
}

interface Usage {
  /** The highest percentage of any limit in the usage headers; 0 when none came. */
  percent: number;
  /** Minutes until access is back, as Meta estimates it (0 when not throttled). */
  regainMinutes: number;
}

const ONE_CREATOR_RULE =
  "Instagram posts are read through their creator's account: each call needs the posts of one creator, with the handle.";

export function instagramCollector(options: InstagramOptions): Collector {
  return perCreatorCollector("instagram", PAGE_SIZE, ONE_CREATOR_RULE, (handle, posts) =>
    collectCreator(options, handle, posts),
  );
}

async function collectCreator(
  options: InstagramOptions,
  handle: string,
  posts: PostRef[],
): Promise<Collected> {
  // The handle goes inside a field expansion: anything but a handle could change the query.
  if (!CREATOR_HANDLE.test(handle)) throw new CollectError("refused", ONE_CREATOR_RULE);
  const wanted = new Set(posts.map((post) => post.postId));
  const found = new Map<string, { media: z.infer<typeof media>; followers: number | null }>();
  const result: Collected = { posts: [], gone: new Map(), credentialProblems: [], pauseMs: null };
  let after: string | undefined;
  let pages = 0;
  let exhausted = false;
  while (found.size < wanted.size && result.pauseMs === null) {
    if (pages === MAX_PAGES) {
      markGone(
        result,
        wanted,
        found,
        `not among @${handle}'s latest ${MAX_PAGES * PAGE_SIZE} Instagram posts`,
      );
      break;
    }
    const page = await discoverPage(options, handle, after);
    pages += 1;
    if (page === "not discoverable") {
      markGone(result, wanted, found, `@${handle} is no longer an Instagram business or creator account`);
      return result;
    }
    result.pauseMs = pauseFor(page.usage);
    const { followers_count, media: list } = page.data.business_discovery;
    for (const item of list?.data ?? []) {
      const shortcode = shortcodeOf(item.permalink);
      if (shortcode && wanted.has(shortcode)) {
        found.set(shortcode, { media: item, followers: followers_count ?? null });
      }
    }
    after = list?.paging?.cursors?.after;
    if (!after || !list?.data.length) {
      exhausted = true;
      break;
    }
  }
  if (exhausted) {
    markGone(
      result,
      wanted,
      found,
      `no longer on @${handle}'s Instagram (deleted, archived or made private)`,
    );
  }
  const creatorToken = result.pauseMs === null ? await options.creatorToken?.(handle) : null;
  for (const [shortcode, { media: item, followers }] of found) {
    const post: CollectedPost = {
      postId: shortcode,
      publishedAt: new Date(Date.parse(item.timestamp)),
      creator: { handle, followers },
      counters: { ...NO_COUNTERS, likes: item.like_count ?? null, comments: item.comments_count ?? null },
    };
    if (creatorToken && result.pauseMs === null && result.credentialProblems.length === 0) {
      await addInsights(options, creatorToken, handle, item.id, post, result);
    }
    result.posts.push(post);
  }
  return result;
}

function markGone(result: Collected, wanted: Set<string>, found: Map<string, unknown>, reason: string): void {
  for (const shortcode of wanted) if (!found.has(shortcode)) result.gone.set(shortcode, reason);
}

function shortcodeOf(permalink: string): string | null {
  const parsed = parsePostLink(permalink);
  return parsed.ok && parsed.link.platform === "instagram" ? parsed.link.postId : null;
}

async function discoverPage(
  options: InstagramOptions,
  handle: string,
  after: string | undefined,
): Promise<{ data: z.infer<typeof discovery>; usage: Usage } | "not discoverable"> {
  const edge = `media.limit(${PAGE_SIZE})${after ? `.after(${after})` : ""}`;
  const fields =
    `business_discovery.username(${handle}){followers_count,` +
    `${edge}{id,permalink,timestamp,like_count,comments_count,media_product_type}}`;
  try {
    const answer = await graphGet(options, options.accountId, { fields }, options.accessToken);
    return { data: discovery.parse(answer.body), usage: answer.usage };
  } catch (error) {
    if (error instanceof GraphCallError && isNotDiscoverable(error.graph)) return "not discoverable";
    throw asCollectError(error, "the business account's access token");
  }
}

function isNotDiscoverable(error: GraphError | null): boolean {
  return error?.code === NOT_DISCOVERABLE.code && error.error_subcode === NOT_DISCOVERABLE.subcode;
}

/** Reach, saves, shares and views from the creator's own token; a metric not given stays null. */
async function addInsights(
  options: InstagramOptions,
  token: string,
  handle: string,
  mediaId: string,
  post: CollectedPost,
  result: Collected,
): Promise<void> {
  let answer: GraphAnswer;
  try {
    answer = await graphGet(options, `${mediaId}/insights`, { metric: INSIGHT_METRICS }, token);
  } catch (error) {
    if (!(error instanceof GraphCallError)) throw error;
    if (error.graph?.code === TOKEN_CODE) {
      result.credentialProblems.push({
        subject: handle,
        problem: `Instagram refused @${handle}'s token for insights: ${error.graph.message}`,
      });
      return;
    }
    if (isThrottled(error) || error.status >= 500) throw asCollectError(error, `@${handle}'s token`);
    return; // Not enough viewers, a media type without these metrics: the insights stay null.
  }
  result.pauseMs = pauseFor(answer.usage);
  const values = new Map(
    insights
      .parse(answer.body)
      .data.map((metric) => [metric.name, metric.total_value?.value ?? metric.values?.[0]?.value]),
  );
  const value = (name: string) => values.get(name) ?? null;
  post.counters = {
    ...post.counters,
    reach: value("reach"),
    saves: value("saved"),
    shares: value("shares"),
    views: value("views"),
  };
}

class GraphCallError extends Error {
  constructor(
    readonly status: number,
    readonly graph: GraphError | null,
    readonly retryAfter: number | null,
  ) {
    super(graph?.message ?? `Instagram answered ${status}.`);
  }
}

async function graphGet(
  options: InstagramOptions,
  path: string,
  query: Record<string, string>,
  token: string,
): Promise<GraphAnswer> {
  const answer = await platformCall(options, INSTAGRAM_API_URL, path, {
    query: { ...query, access_token: token },
    headers: { accept: "application/json" },
  });
  const usage = usageOf(answer.headers);
  if (answer.ok) return { body: answer.body, usage };
  const parsed = graphError.safeParse(answer.body);
  const retryAfter = usage.regainMinutes > 0 ? usage.regainMinutes * 60_000 : answer.retryAfterMs;
  throw new GraphCallError(answer.status, parsed.success ? parsed.data.error : null, retryAfter);
}

function isThrottled(error: GraphCallError): boolean {
  return error.status === 429 || (error.graph !== null && RATE_LIMIT_CODES.has(error.graph.code));
}

/** A failed Graph API call in the terms the schedule acts on; `whose` names the token in messages. */
function asCollectError(error: unknown, whose: string): unknown {
  if (!(error instanceof GraphCallError)) return error;
  const graph = error.graph;
  if (graph?.code === TOKEN_CODE) {
    return new CollectError("credentials", `Instagram refused ${whose}: ${graph.message}`);
  }
  if (graph && (graph.code === 10 || (graph.code >= 200 && graph.code < 300))) {
    return new CollectError("credentials", `Instagram says ${whose} lacks a permission: ${graph.message}`);
  }
  if (isThrottled(error)) {
    return new CollectError("retry", "Instagram's rate limit is reached.", error.retryAfter);
  }
  if (error.status >= 500 || graph?.is_transient || graph?.code === 1 || graph?.code === 2) {
    return new CollectError("retry", `Instagram answered ${error.status}.`, error.retryAfter);
  }
  return new CollectError(
    "refused",
    `Instagram refused the request (${error.status}${graph ? `: ${graph.message}` : ""}).`,
  );
}

/** The highest usage in `X-App-Usage` and `X-Business-Use-Case-Usage`, and the longest wait named. */
export function usageOf(headers: Headers): Usage {
  const entries: z.infer<typeof usagePercents>[] = [];
  const app = usagePercents.safeParse(safeJson(headers.get("x-app-usage") ?? ""));
  if (app.success) entries.push(app.data);
  const buc = businessUseCaseUsage.safeParse(safeJson(headers.get("x-business-use-case-usage") ?? ""));
  if (buc.success) entries.push(...Object.values(buc.data).flat());
  return {
    percent: Math.max(
      0,
      ...entries.flatMap((entry) => [entry.call_count ?? 0, entry.total_time ?? 0, entry.total_cputime ?? 0]),
    ),
    regainMinutes: Math.max(0, ...entries.map((entry) => entry.estimated_time_to_regain_access ?? 0)),
  };
}

function pauseFor(usage: Usage): number | null {
  if (usage.percent < PAUSE_AT_PERCENT) return null;
  return usage.regainMinutes > 0 ? usage.regainMinutes * 60_000 : DEFAULT_PAUSE_MS;
}
