/**
 * Renders a Teams answer to a PNG for the README: the demo workspace's creator card, drawn by the
 * adaptivecards package in headless Chromium (Debian's chromium, driven by playwright-core).
 *
 *   npx tsx scripts/teams-card-image.ts [out.png]      default manifests/teams/card-creator.png
 *
 * Chromium here has no network, so the chart Teams would load from QuickChart is drawn locally
 * (chart.js) and put in the page for the screenshot only; the card sent to Teams links it.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { createConversation } from "../src/conversation/converse.ts";
import { demoCreators, seedDemo } from "../src/ingest/demo.ts";
import { chartPng, viewCharts } from "../src/render/charts.ts";
import { renderTeams } from "../src/render/teams.ts";
import { openScratchStore } from "../src/store/scratch.ts";

const root = resolve(import.meta.dirname, "..");
const NOW = new Date("2026-11-23T09:00:00Z");
const CARD_WIDTH = 760;

async function creatorCard() {
  const store = await openScratchStore(undefined, "card");
  try {
    await seedDemo(store, { now: NOW });
    const handle = demoCreators({ now: NOW })[0]?.handle ?? "";
    const view = await createConversation(store).ask({
      text: `creator @${handle}`,
      workspace: { slug: "demo", createIfMissing: false },
      now: NOW,
    });
    const { card } = renderTeams(view, { chart: { kind: "url" } });
    const [chart] = viewCharts(view);
    const png = chart ? await chartPng(chart.config) : undefined;
    const body = card.body.map((element) =>
      element.type === "Image" && png
        ? { ...element, url: `data:image/png;base64,${png.toString("base64")}` }
        : element,
    );
    return { ...card, body };
  } finally {
    await store.close();
  }
}

/** The little of the page's DOM the screenshot uses (the project compiles without DOM typings). */
interface InPage {
  getElementById(id: string): { appendChild(node: unknown): unknown } | null;
  images: ArrayLike<{ complete: boolean }>;
}

async function screenshot(card: unknown, out: string): Promise<void> {
  const bundle = await readFile(join(root, "node_modules/adaptivecards/dist/adaptivecards.min.js"), "utf8");
  // Teams renders a card's Markdown itself; the adaptivecards package asks the host for it.
  const markdown = await readFile(
    join(root, "node_modules/markdown-it/dist/browser/markdown-it.umd.min.js"),
    "utf8",
  );
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
  try {
    const page = await browser.newPage({
      viewport: { width: CARD_WIDTH + 40, height: 400 },
      deviceScaleFactor: 2,
    });
    await page.setContent(
      `<html><body style="margin:0;padding:20px;background:#f5f5f5;font-family:'Segoe UI',system-ui,sans-serif">
        <div id="card" style="width:${CARD_WIDTH}px;background:#fff;border-radius:6px;box-shadow:0 1px 3px #0003"></div>
      </body></html>`,
    );
    await page.addScriptTag({ content: bundle });
    await page.addScriptTag({ content: markdown });
    await page.evaluate((json) => {
      // biome-ignore lint/suspicious/noExplicitAny: the browser bundles' globals, untyped in the page
      const page = globalThis as unknown as { AdaptiveCards: any; markdownit: any; document: InPage };
      const AC = page.AdaptiveCards;
      const md = page.markdownit();
      AC.AdaptiveCard.onProcessMarkdown = (
        text: string,
        result: { outputHtml: string; didProcess: boolean },
      ) => {
        result.outputHtml = md.renderInline(text);
        result.didProcess = true;
      };
      const card = new AC.AdaptiveCard();
      card.hostConfig = new AC.HostConfig({ fontFamily: "'Segoe UI', system-ui, sans-serif" });
      card.parse(json);
      page.document.getElementById("card")?.appendChild(card.render());
    }, card);
    await page.waitForFunction(() =>
      Array.from((globalThis as unknown as { document: InPage }).document.images).every(
        (image) => image.complete,
      ),
    );
    await page.locator("#card").screenshot({ path: out });
  } finally {
    await browser.close();
  }
}

const out = resolve(process.argv[2] ?? join(root, "manifests/teams/card-creator.png"));
await screenshot(await creatorCard(), out);
console.log(`Wrote ${out}`);
