import { renderBlocks } from "./blockkit.js";

const SHARE_ACTION_ID = "longtail_share";
const MAX_SUGGESTIONS = 6;
const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);

const state = { workspace: "", suggestions: [], history: [], historyIndex: 0 };

async function api(path, init = {}) {
  const headers = {
    ...(init.headers ?? {}),
    "x-longtail-playground": "1",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const response = await fetch(`api/${path}`, { ...init, headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`);
  return body;
}

const postJson = (path, body) =>
  api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function button(label, onClick, className = "") {
  const element = node("button", className, label);
  element.type = "button";
  element.addEventListener("click", onClick);
  return element;
}

/** Chart.js draws on a transparent canvas: paint it white, as the Slack image is. */
const whiteBackground = {
  id: "whiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Drawn at the Slack image's size; the style sheet scales it down on narrow screens, proportions kept. */
function drawChart(canvas, config) {
  new window.Chart(canvas, {
    ...config,
    options: { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 },
    plugins: [whiteBackground],
  });
  canvas.style.removeProperty("width");
  canvas.style.removeProperty("height");
}

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    status.textContent = "Copying is blocked here: select the text and copy it.";
  }
}

/** An empty image: the card's chart links are never fetched, the page draws the charts instead. */
const NO_IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/** Teams renders a card's markdown; so does the preview, raw HTML escaped. */
const markdown = window.markdownit({ html: false, linkify: false, breaks: true });
window.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

/** The Adaptive Card as Teams renders it (adaptivecards), charts drawn from the same Chart.js config. */
function teamsCard(card, charts, onAction) {
  const drawn = [];
  const body = card.body.map((element) => {
    const chart = element.type === "Image" && charts.find((candidate) => candidate.imageUrl === element.url);
    if (!chart) return element;
    drawn.push({ id: element.id, config: chart.config });
    return { ...element, url: NO_IMAGE };
  });
  const adaptive = new window.AdaptiveCards.AdaptiveCard();
  adaptive.onExecuteAction = (action) => {
    const data = action.data ?? {};
    if (data.longtail === "share") onAction({ action_id: SHARE_ACTION_ID });
    else if (data.question) onAction({ value: data.question, text: { text: action.title ?? data.question } });
  };
  adaptive.parse({ ...card, body });
  const rendered = adaptive.render() ?? node("p", "muted", "This card could not be rendered.");
  for (const { id, config } of drawn) {
    const canvas = document.createElement("canvas");
    canvas.width = 600;
    canvas.height = 320;
    rendered.querySelector(`[id="${id}"]`)?.replaceChildren(canvas);
    drawChart(canvas, config);
  }
  return rendered;
}

/** Two tabs, Slack and Teams, over the same answer. */
function surfaceTabs(panels) {
  const wrapper = node("div", "surfaces");
  const list = node("div", "surface-tabs");
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", "Chat platform");
  const tabs = panels.map(({ label, content }, index) => {
    const tab = button(label, () => select(index), "surface-tab");
    tab.setAttribute("role", "tab");
    const panel = node("div", "surface-panel");
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-label", `${label} preview`);
    panel.append(content);
    return { tab, panel };
  });
  function select(chosen) {
    tabs.forEach(({ tab, panel }, index) => {
      tab.setAttribute("aria-selected", String(index === chosen));
      tab.tabIndex = index === chosen ? 0 : -1;
      panel.hidden = index !== chosen;
    });
  }
  list.addEventListener("keydown", (event) =>
    arrowBetween(
      event,
      tabs.map(({ tab }) => tab),
      select,
    ),
  );
  for (const { tab } of tabs) list.append(tab);
  wrapper.append(list, ...tabs.map(({ panel }) => panel));
  select(0);
  return wrapper;
}

/** ← and → move between tabs, as in any tab list. */
function arrowBetween(event, tabs, select) {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  const current = tabs.indexOf(document.activeElement);
  const next = (current + step + tabs.length) % tabs.length;
  select(next);
  tabs[next].focus();
  event.preventDefault();
}

/** One answer: the Slack card (and the Teams one), its view model's JSON and the CLI command. */
function answerNode(answer, { onAction, label }) {
  const article = node("article", "answer");
  if (label) article.append(node("p", "answer-label", label));
  const slack = renderBlocks(answer.slack.blocks, { charts: answer.charts, drawChart, onAction });
  article.append(
    surfaceTabs([
      { label: "Slack", content: slack },
      { label: "Teams", content: teamsCard(answer.teams, answer.charts, onAction) },
    ]),
  );

  const tools = node("div", "answer-tools");
  const status = node("span", "muted");
  status.setAttribute("role", "status");
  const json = JSON.stringify(answer.view, null, 2);
  const details = node("details", "json");
  details.append(node("summary", "", "View model (JSON)"), node("pre", "", json));
  const cli = node("code", "cli", answer.cli);
  tools.append(
    button("Copy JSON", () => copy(json, status)),
    node("span", "muted", "Same answer in a terminal:"),
    cli,
    button("Copy command", () => copy(answer.cli, status)),
    status,
  );
  article.append(tools, details);
  return article;
}

function appendToConversation(...items) {
  const conversation = $("conversation");
  for (const item of items) conversation.append(item);
  items.at(-1)?.scrollIntoView({ block: "nearest" });
}

function said(text, how) {
  const item = node("li", "turn turn-person");
  item.append(node("span", "who", `You ${how}`), node("span", "said", text));
  return item;
}

function botSaid(content) {
  const item = node("li", "turn turn-bot");
  item.append(node("span", "who", "Longtail"), content);
  return item;
}

function errorNode(error) {
  return node("p", "error", error.message);
}

/** What a button in a card does, as the Slack app does it. */
function runAction(answer) {
  return (clicked) => {
    if (clicked.action_id === SHARE_ACTION_ID) {
      appendToConversation(
        botSaid(
          answerNode(
            { ...answer, slack: withoutShare(answer.slack) },
            {
              onAction: runAction(answer),
              label: "Shared in the channel: everyone there sees this message.",
            },
          ),
        ),
      );
      return;
    }
    if (clicked.value) ask(clicked.value, `pressed “${clicked.text.text}”`);
  };
}

function withoutShare(slack) {
  const blocks = slack.blocks.filter(
    (block) =>
      !(block.type === "actions" && block.elements.some((part) => part.action_id === SHARE_ACTION_ID)),
  );
  return { ...slack, blocks };
}

async function ask(text, how = "asked") {
  appendToConversation(said(text, how));
  try {
    const answer = await postJson("ask", { workspace: state.workspace, text });
    appendToConversation(botSaid(answerNode(answer, { onAction: runAction(answer) })));
  } catch (error) {
    appendToConversation(botSaid(errorNode(error)));
  }
}

function matchingSuggestions(typed) {
  const needle = typed.trim().toLowerCase();
  if (!needle) return state.suggestions.slice(0, MAX_SUGGESTIONS);
  const starts = state.suggestions.filter((s) => s.toLowerCase().startsWith(needle));
  const contains = state.suggestions.filter((s) => !starts.includes(s) && s.toLowerCase().includes(needle));
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
}

function showSuggestions() {
  const list = $("suggestions");
  list.replaceChildren(
    ...matchingSuggestions($("question").value).map((suggestion) => {
      const item = node("li");
      item.append(
        button(
          suggestion,
          () => {
            $("question").value = suggestion;
            $("question").focus();
            showSuggestions();
          },
          "suggestion",
        ),
      );
      return item;
    }),
  );
}

function onQuestionKey(event) {
  const input = $("question");
  if (event.key === "ArrowUp" || event.key === "ArrowDown") {
    const step = event.key === "ArrowUp" ? -1 : 1;
    const index = Math.min(state.history.length, Math.max(0, state.historyIndex + step));
    if (index === state.historyIndex && step < 0) return;
    state.historyIndex = index;
    input.value = state.history[index] ?? "";
    showSuggestions();
    event.preventDefault();
  } else if (event.key === "Tab" && !event.shiftKey && input.value.trim()) {
    const first = matchingSuggestions(input.value)[0];
    if (first && first !== input.value) {
      input.value = first;
      showSuggestions();
      event.preventDefault();
    }
  }
}

function onAsk(event) {
  event.preventDefault();
  const input = $("question");
  const text = input.value.trim();
  if (!text) return;
  if (state.history.at(-1) !== text) state.history.push(text);
  state.historyIndex = state.history.length;
  input.value = "";
  showSuggestions();
  ask(text);
}

async function loadDigest() {
  const target = $("digest");
  target.replaceChildren(node("p", "muted", "Computing this week's digest…"));
  try {
    const { digest, alerts } = await api(`digest?workspace=${encodeURIComponent(state.workspace)}`);
    target.replaceChildren(
      node("h2", "", "Weekly digest"),
      answerNode(digest, { onAction: runAction(digest) }),
      node("h2", "", "Alerts that would fire"),
      answerNode(alerts, { onAction: runAction(alerts) }),
    );
  } catch (error) {
    target.replaceChildren(errorNode(error));
  }
}

/** When it next runs, in the subscription's own time zone, as the channel will see it. */
function nextRun(subscription) {
  const when = new Date(subscription.nextRunAt).toLocaleString("en-GB", {
    timeZone: subscription.timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
  return `${when} (${subscription.timezone})`;
}

function subscriptionRow(subscription) {
  const row = node("tr");
  const status = subscription.active ? "active" : `stopped: ${subscription.disabledReason ?? "disabled"}`;
  for (const text of [
    subscription.channel,
    subscription.schedule,
    subscription.campaign ?? "whole workspace",
    nextRun(subscription),
    status,
  ])
    row.append(node("td", "", text));
  const cell = node("td");
  cell.append(button("Send now (preview)", () => sendNow(subscription)));
  row.append(cell);
  return row;
}

async function loadSubscriptions() {
  const target = $("subscriptions");
  $("send-now").replaceChildren();
  try {
    const subscriptions = await api(`subscriptions?workspace=${encodeURIComponent(state.workspace)}`);
    if (subscriptions.length === 0) {
      target.replaceChildren(
        node(
          "p",
          "",
          `Workspace “${state.workspace}” has no digest subscription yet. In a Slack channel, type `,
        ),
        node("code", "", "/longtail subscribe weekly mon 09:00"),
      );
      return;
    }
    const table = node("table", "subscriptions");
    const head = node("tr");
    for (const title of ["Channel", "Schedule", "Scope", "Next run", "Status", ""])
      head.append(node("th", "", title));
    table.append(head, ...subscriptions.map(subscriptionRow));
    target.replaceChildren(table);
  } catch (error) {
    target.replaceChildren(errorNode(error));
  }
}

async function sendNow(subscription) {
  const target = $("send-now");
  try {
    const preview = await postJson("send-now", {
      workspace: state.workspace,
      subscriptionId: subscription.id,
    });
    target.replaceChildren(
      answerNode(preview, {
        onAction: runAction(preview),
        label: `What ${subscription.channel} would get now:`,
      }),
    );
  } catch (error) {
    target.replaceChildren(errorNode(error));
  }
}

async function onImport(event) {
  event.preventDefault();
  const file = $("import-file").files[0];
  const result = $("import-result");
  if (!file) return;
  result.hidden = false;
  result.className = "import-result";
  result.textContent = `Importing ${file.name}…`;
  try {
    const query = `workspace=${encodeURIComponent(state.workspace)}&name=${encodeURIComponent(file.name)}`;
    const outcome = await api(`import?${query}`, { method: "POST", body: file });
    result.classList.add(outcome.ok ? "ok" : "bad");
    result.textContent = outcome.message;
    if (outcome.ok) await loadSuggestions();
  } catch (error) {
    result.classList.add("bad");
    result.textContent = error.message;
  }
}

async function loadSuggestions() {
  state.suggestions = await api(`suggestions?workspace=${encodeURIComponent(state.workspace)}`);
  showSuggestions();
}

const VIEWS = ["chat", "digest", "subscriptions", "import"];
const LOADERS = { digest: loadDigest, subscriptions: loadSubscriptions };

function showView(name) {
  for (const view of VIEWS) {
    const tab = $(`tab-${view}`);
    tab.setAttribute("aria-selected", String(view === name));
    tab.tabIndex = view === name ? 0 : -1;
    $(`view-${view}`).hidden = view !== name;
  }
  LOADERS[name]?.();
}

async function start() {
  const tabs = VIEWS.map((view) => $(`tab-${view}`));
  for (const view of VIEWS) $(`tab-${view}`).addEventListener("click", () => showView(view));
  document
    .querySelector(".views")
    .addEventListener("keydown", (event) => arrowBetween(event, tabs, (index) => showView(VIEWS[index])));
  $("ask").addEventListener("submit", onAsk);
  $("question").addEventListener("keydown", onQuestionKey);
  $("question").addEventListener("input", showSuggestions);
  $("import").addEventListener("submit", onImport);
  $("workspace").addEventListener("change", async () => {
    state.workspace = $("workspace").value;
    await loadSuggestions();
    const open = VIEWS.find((view) => !$(`view-${view}`).hidden);
    LOADERS[open]?.();
  });
  try {
    const workspaces = await api("workspaces");
    $("workspace").replaceChildren(
      ...workspaces.map((slug) => Object.assign(node("option", "", slug), { value: slug })),
    );
    state.workspace = workspaces.includes("demo") ? "demo" : (workspaces[0] ?? "");
    $("workspace").value = state.workspace;
    await loadSuggestions();
    document.body.dataset.ready = "true";
  } catch (error) {
    $("conversation").append(botSaid(errorNode(error)));
  }
}

start();
