import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../../src/ingest/importFile.ts";
import { type Harness, startHarness, TEAM_ACME } from "./support/harness.ts";
import { sendSlashCommand } from "./support/slackRequests.ts";

const HOSTILE_CREATOR = "<!channel>";
const HOSTILE_CAMPAIGN = "<!here> <@U0ADMIN> <https://evil.example|win>";

/** A real CSV import of names written in Slack's mrkdwn, then real slash commands over Bolt. */
describe("mrkdwn in imported names and typed questions never renders live in Slack", () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "longtail-mrkdwn-"));
    const file = join(dir, "hostile.csv");
    writeFileSync(
      file,
      [
        "platform,creator,followers,campaign,post_id,published_at,fee,captured_at,likes,clicks",
        `instagram,"${HOSTILE_CREATOR}",5000,"${HOSTILE_CAMPAIGN}",P1,2026-02-01T10:00:00Z,100,2026-02-02T10:00:00Z,50,10`,
        "",
      ].join("\n"),
    );
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      prepare: async (store) => {
        const result = await importFile(store, {
          path: file,
          workspaceSlug: "acme",
          skipInvalid: false,
          progress: false,
        });
        if (!result.ok) throw new Error("the hostile file did not import");
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function slash(command: string, text: string) {
    const id = randomUUID();
    const fields = { command, text, teamId: TEAM_ACME.teamId, responseUrl: h.stub.responseUrl(id) };
    await sendSlashCommand(h.baseUrl, fields, h.sign);
    return (await h.stub.waitFor((call) => call.path === `/respond/${id}`)).body;
  }

  /** Every text Slack parses as mrkdwn (section, field and context texts, and the notification text). */
  function mrkdwnTexts(body: Record<string, unknown>): string[] {
    const walk = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(walk);
      if (typeof value !== "object" || value === null) return [];
      const own = "type" in value && value.type === "mrkdwn" && "text" in value ? [String(value.text)] : [];
      return [...own, ...Object.values(value).flatMap(walk)];
    };
    return [String(body.text), ...walk(body.blocks)];
  }

  /** Slack's live syntax: mentions (<@U…>, <!here>, <!channel>), channel and URL links. */
  const LIVE = ["<!", "<@", "<#", "<http"];

  it("escapes an imported creator named <!channel> in a ranking", async () => {
    const body = await slash("/longtail", "top 5 creators by clicks");
    const blocks = body.blocks as { text?: { text: string } }[];
    expect(blocks[2]?.text?.text).toBe(
      "1. @&lt;!channel&gt; (instagram) — *10* · 1 post · 10 clicks · sustained: _not enough history yet_",
    );
    expect(mrkdwnTexts(body).filter((text) => LIVE.some((live) => text.includes(live)))).toEqual([]);
  });

  it("escapes a campaign named with mentions and a link, and its creator, in the campaign report", async () => {
    // Slack sends a literally typed "<" and ">" as "&lt;" and "&gt;".
    const body = await slash(
      "/campaign",
      '"&lt;!here&gt; &lt;@U0ADMIN&gt; &lt;https://evil.example|win&gt;"',
    );
    const blocks = body.blocks as { type: string; text?: { type: string; text: string } }[];
    expect(body.text).toBe(
      "Campaign &lt;!here&gt; &lt;@U0ADMIN&gt; &lt;https://evil.example|win&gt;: 10 clicks · sustained engagements: not enough history yet",
    );
    // A header is plain_text, which Slack never parses for mentions or links.
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: `Campaign ${HOSTILE_CAMPAIGN}`, emoji: true },
    });
    expect(blocks.map((block) => block.text?.text)).toContain(
      "*Creators who kept earning* (sustained engagements)\n1. @&lt;!channel&gt; (micro) — sustained: _not enough history yet_ · 10 clicks · week-2 retention: _not enough history yet_",
    );
    expect(mrkdwnTexts(body).filter((text) => LIVE.some((live) => text.includes(live)))).toEqual([]);
  });

  it("escapes mrkdwn in a question it did not understand when it says so", async () => {
    const body = await slash("/longtail", "creator <!channel> <@U0ADMIN> <https://evil.example|win>");
    const blocks = body.blocks as { text?: { text: string } }[];
    expect(blocks[1]?.text?.text).toBe(
      "I didn't understand “creator @&lt;U0ADMIN&gt; win”: That mentions a person in this chat, not a creator: use the creator's handle, like creator @anna.",
    );
    expect(mrkdwnTexts(body).filter((text) => LIVE.some((live) => text.includes(live)))).toEqual([]);
  });
});
