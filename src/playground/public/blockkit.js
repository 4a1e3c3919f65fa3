// A Block Kit preview: the blocks of a Slack message drawn as Slack draws them (header, section
// with text, fields and accessory, context, image, actions, divider), mrkdwn included. Chart
// images are drawn in the page with Chart.js from the same config; no other image is fetched.

const EMOJI = {
  bar_chart: "📊",
  bulb: "💡",
  calendar: "📅",
  chart_with_downwards_trend: "📉",
  chart_with_upwards_trend: "📈",
  hourglass: "⏳",
  information_source: "ℹ️",
  moneybag: "💰",
  seedling: "🌱",
  small_red_triangle: "🔺",
  small_red_triangle_down: "🔻",
  sparkles: "✨",
  star: "⭐",
  warning: "⚠️",
  white_check_mark: "✅",
  x: "❌",
};

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Slack escapes only &, < and > in message text. */
function decodeSlackEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Bold, italic, strike, code and emoji on text that is already HTML-escaped. */
function formatInline(escaped) {
  const edge = "(^|[\\s(\\[{\"'“‘—–-])";
  const end = "(?=$|[\\s.,:;!?)\\]}\"'”’—–-])";
  return escaped
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(new RegExp(`${edge}\\*([^*\\n]+?)\\*${end}`, "g"), "$1<b>$2</b>")
    .replace(new RegExp(`${edge}_([^_\\n]+?)_${end}`, "g"), "$1<i>$2</i>")
    .replace(new RegExp(`${edge}~([^~\\n]+?)~${end}`, "g"), "$1<s>$2</s>")
    .replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

function plainSegment(text) {
  return formatInline(escapeHtml(decodeSlackEntities(text)));
}

/** <url|label>, <#C123>, <@U123>, <!here>: links and mentions. */
function linkSegment(inner) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("#"))
    return `<span class="bk-mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith("@"))
    return `<span class="bk-mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith("!")) return `<span class="bk-mention">@${escapeHtml(target.slice(1))}</span>`;
  if (!/^https?:\/\//.test(target)) return plainSegment(`<${inner}>`);
  const href = escapeHtml(decodeSlackEntities(target));
  return `<a href="${href}" target="_blank" rel="noopener noreferrer">${plainSegment(label ?? target)}</a>`;
}

function mrkdwnLine(line) {
  let html = "";
  let last = 0;
  for (const match of line.matchAll(/<([^<>]+)>/g)) {
    html += plainSegment(line.slice(last, match.index)) + linkSegment(match[1]);
    last = match.index + match[0].length;
  }
  return html + plainSegment(line.slice(last));
}

/** Slack mrkdwn as HTML: every character escaped, then Slack's own markup applied. */
export function mrkdwnToHtml(text) {
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("&gt; ")
        ? `<span class="bk-quote">${mrkdwnLine(line.slice(5))}</span>`
        : mrkdwnLine(line),
    )
    .join("<br>");
}

function element(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

function textHtml(text) {
  if (!text) return "";
  return text.type === "mrkdwn" ? mrkdwnToHtml(text.text) : formatInline(escapeHtml(text.text));
}

function buttonNode(button, options) {
  const node = element("button", `bk-button${button.style ? ` bk-button-${button.style}` : ""}`);
  node.type = "button";
  node.innerHTML = textHtml(button.text);
  node.dataset.actionId = button.action_id ?? "";
  if (button.value !== undefined) node.dataset.value = button.value;
  node.addEventListener("click", () => {
    if (button.url) window.open(button.url, "_blank", "noopener");
    else options.onAction?.(button);
  });
  return node;
}

function imageNode(block, options) {
  const chart = options.charts?.find((candidate) => candidate.imageUrl === block.image_url);
  const figure = element("figure", "bk-image");
  if (block.title) figure.append(element("figcaption", "", textHtml(block.title)));
  if (!chart) {
    figure.append(element("div", "bk-image-placeholder", `Image: ${escapeHtml(block.alt_text ?? "")}`));
    return figure;
  }
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", block.alt_text ?? "chart");
  canvas.width = 600;
  canvas.height = 320;
  figure.append(canvas);
  options.drawChart?.(canvas, chart.config);
  return figure;
}

function sectionNode(block, options) {
  const node = element("div", "bk-section");
  const body = element("div", "bk-section-body");
  if (block.text) body.append(element("div", "bk-text", textHtml(block.text)));
  if (block.fields?.length) {
    const fields = element("div", "bk-fields");
    for (const field of block.fields) fields.append(element("div", "bk-field", textHtml(field)));
    body.append(fields);
  }
  node.append(body);
  if (block.accessory?.type === "button") node.append(buttonNode(block.accessory, options));
  return node;
}

function contextNode(block) {
  const node = element("div", "bk-context");
  for (const part of block.elements) {
    if (part.type === "image")
      node.append(element("span", "bk-context-image", `[${escapeHtml(part.alt_text ?? "")}]`));
    else node.append(element("span", "", textHtml(part)));
  }
  return node;
}

function actionsNode(block, options) {
  const node = element("div", "bk-actions");
  for (const part of block.elements) if (part.type === "button") node.append(buttonNode(part, options));
  return node;
}

const RENDERERS = {
  header: (block) => element("h3", "bk-header", textHtml(block.text)),
  section: sectionNode,
  context: contextNode,
  image: imageNode,
  actions: actionsNode,
  divider: () => element("hr", "bk-divider"),
};

/**
 * The message's blocks as DOM nodes. `options.charts` maps chart image URLs to their Chart.js
 * config, `options.drawChart(canvas, config)` draws one, `options.onAction(button)` runs a button.
 */
export function renderBlocks(blocks, options = {}) {
  const message = element("div", "bk-message");
  for (const block of blocks) {
    const render = RENDERERS[block.type];
    message.append(
      render
        ? render(block, options)
        : element("div", "bk-unknown", `Unsupported block: ${escapeHtml(block.type)}`),
    );
  }
  return message;
}
