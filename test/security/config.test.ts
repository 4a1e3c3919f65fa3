import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { type ChartConfig, chartUrl } from "../../src/render/charts.ts";

const TINY_CHART = {
  type: "bar",
  data: { labels: ["a"], datasets: [{ label: "x", data: [1] }] },
} as ChartConfig;

/** What quickchart-js puts after the path for TINY_CHART (Chart.js 4, the house's size). */
const TINY_CHART_QUERY =
  "?c=%7Btype%3A%27bar%27%2Cdata%3A%7Blabels%3A%5B%27a%27%5D%2Cdatasets%3A%5B%7Blabel%3A%27x%27%2Cdata%3A%5B1%5D%7D%5D%7D%7D" +
  "&w=600&h=320&ref=qc-js&bkg=%23ffffff&f=png&v=4";

function chartUrlWith(quickChartHost: string): string {
  return chartUrl(TINY_CHART, { host: loadConfig({ QUICKCHART_HOST: quickChartHost }).QUICKCHART_HOST });
}

function configProblem(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("QUICKCHART_HOST", () => {
  it("takes a bare host, https assumed", () => {
    expect(chartUrlWith("charts.example.com")).toBe(`https://charts.example.com/chart${TINY_CHART_QUERY}`);
  });

  it("takes an https URL, with a trailing slash or not", () => {
    expect(chartUrlWith("https://charts.example.com/")).toBe(
      `https://charts.example.com/chart${TINY_CHART_QUERY}`,
    );
  });

  it("takes an http URL with a port and a path prefix", () => {
    expect(chartUrlWith("  http://127.0.0.1:3400/quickchart/ ")).toBe(
      `http://127.0.0.1:3400/quickchart/chart${TINY_CHART_QUERY}`,
    );
  });

  it("takes a host with a port", () => {
    expect(chartUrlWith("charts.example.com:8443")).toBe(
      `https://charts.example.com:8443/chart${TINY_CHART_QUERY}`,
    );
  });

  it("falls back to quickchart.io when blank", () => {
    expect(chartUrlWith("")).toBe(`https://quickchart.io/chart${TINY_CHART_QUERY}`);
  });

  it.each([
    "ftp://charts.example.com",
    "https://user:secret@charts.example.com",
    "charts example com",
    "https://charts.example.com/?x=1",
  ])("refuses %s without echoing it", (value) => {
    expect(configProblem({ QUICKCHART_HOST: value })).toBe(
      "Configuration problem:\n  QUICKCHART_HOST must be the host or http(s) URL of a QuickChart server, " +
        "like quickchart.example.com or https://quickchart.example.com",
    );
  });
});

describe("LONGTAIL_WORKSPACE", () => {
  it.each(["", "Acme", "<!channel>", "-acme", "a".repeat(64)])("refuses %j", (slug) => {
    expect(configProblem({ LONGTAIL_WORKSPACE: slug })).toBe(
      "Configuration problem:\n  LONGTAIL_WORKSPACE must be a workspace slug: 1 to 63 lower-case letters, " +
        "digits and dashes, starting with a letter or digit (e.g. acme-social)",
    );
  });

  it("takes a slug and defaults to demo", () => {
    expect(loadConfig({ LONGTAIL_WORKSPACE: "acme-social" }).LONGTAIL_WORKSPACE).toBe("acme-social");
    expect(loadConfig({}).LONGTAIL_WORKSPACE).toBe("demo");
  });
});

describe("every variable: size and character policy, value never shown", () => {
  it.each([
    [
      "a line break",
      { SLACK_BOT_TOKEN: "xoxb-secret\n" },
      "SLACK_BOT_TOKEN contains U+000A (a control character) at character 12: remove it",
    ],
    [
      "a NUL",
      { LONGTAIL_DATA_DIR: "./da\u0000ta" },
      "LONGTAIL_DATA_DIR contains U+0000 (a control character) at character 5: remove it",
    ],
    [
      "a bidi override",
      { HOST: "127.0.0.1\u202e" },
      "HOST contains U+202E (a bidirectional control) at character 10: remove it",
    ],
    [
      "5,000 characters",
      { DATABASE_URL: `postgresql://${"x".repeat(4987)}` },
      "DATABASE_URL is 5000 characters long, at most 4096",
    ],
  ])("refuses %s", (_what, env, message) => {
    expect(configProblem(env)).toBe(`Configuration problem:\n  ${message}`);
  });

  it("ignores variables it does not read", () => {
    expect(loadConfig({ SOMETHING_ELSE: "a\u0000b" }).LONGTAIL_WORKSPACE).toBe("demo");
  });
});

describe("LONGTAIL_TICK_SECONDS and LONGTAIL_OUTBOX_LEASE_SECONDS", () => {
  it("default to a tick a minute and a 60 s lease, and take valid values", () => {
    const defaults = loadConfig({});
    expect([defaults.LONGTAIL_TICK_SECONDS, defaults.LONGTAIL_OUTBOX_LEASE_SECONDS]).toEqual([60, 60]);
    const set = loadConfig({ LONGTAIL_TICK_SECONDS: "5", LONGTAIL_OUTBOX_LEASE_SECONDS: "15" });
    expect([set.LONGTAIL_TICK_SECONDS, set.LONGTAIL_OUTBOX_LEASE_SECONDS]).toEqual([5, 15]);
  });

  it.each(["7", "0", "90", "2.5", "soon"])(
    "refuse LONGTAIL_TICK_SECONDS=%s with what it must be",
    (value) => {
      expect(configProblem({ LONGTAIL_TICK_SECONDS: value })).toContain(
        "LONGTAIL_TICK_SECONDS must be a whole number of seconds that divides a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)",
      );
    },
  );

  it.each(["14", "3601", "30.5", "a minute"])(
    "refuse LONGTAIL_OUTBOX_LEASE_SECONDS=%s with what it must be",
    (value) => {
      expect(configProblem({ LONGTAIL_OUTBOX_LEASE_SECONDS: value })).toContain(
        "LONGTAIL_OUTBOX_LEASE_SECONDS must be a whole number of seconds from 15 to 3600, like 60",
      );
    },
  );
});
