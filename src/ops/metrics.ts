import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every Prometheus metric of this process, served at /metrics. Each replica has its own: a
 * counter is what this process did since it started, and Prometheus sums over replicas.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Which part of the product an HTTP request was for. */
export type Surface = "slack" | "teams" | "playground" | "ingest" | "ops" | "other";

const requestSeconds = new Histogram({
  name: "longtail_http_request_duration_seconds",
  help: "HTTP request latency, from the request's arrival to the end of its response, by surface.",
  labelNames: ["surface", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const answers = new Counter({
  name: "longtail_answers_total",
  help: "Answers given to people, by the kind of view they were answered with and the outcome.",
  labelNames: ["kind", "outcome"] as const,
  registers: [registry],
});

const deliveries = new Counter({
  name: "longtail_deliveries_total",
  help: "Scheduled digests and alerts settled by this replica, by platform and outcome.",
  labelNames: ["platform", "outcome"] as const,
  registers: [registry],
});

const importRows = new Counter({
  name: "longtail_import_rows_total",
  help: "Rows written by imports (CSV / JSON files, the demo generator, the HTTP ingest API), by source.",
  labelNames: ["source"] as const,
  registers: [registry],
});

const answerQueueDepth = new Gauge({
  name: "longtail_answer_queue_depth",
  help: "Answers waiting for their turn or being computed now.",
  registers: [registry],
});

export function observeRequest(surface: Surface, method: string, status: number, seconds: number): void {
  requestSeconds.observe({ surface, method, status: String(status) }, seconds);
}

/** Answered; refused at once because too many answers already wait; or failed on our side. */
export type AnswerOutcome = "answered" | "busy" | "failed";

export function observeAnswer(kind: string, outcome: AnswerOutcome): void {
  answers.inc({ kind, outcome });
}

/** Counts the view a person is answered with, by its kind, and hands it on. */
export function countedAnswer<View extends { kind: string }>(view: View, outcome: AnswerOutcome): View {
  observeAnswer(view.kind, outcome);
  return view;
}

export type DeliveryOutcome = "sent" | "failed" | "retried";

export function observeDelivery(platform: string, outcome: DeliveryOutcome): void {
  deliveries.inc({ platform, outcome });
}

/** A CSV or JSON file (the CLI, the playground), the demo generator, or the HTTP ingest API. */
export type ImportSource = "file" | "demo" | "api";

export function observeImportRows(source: ImportSource, rows: number): void {
  importRows.inc({ source }, rows);
}

/** +1 when an answer joins the queue, −1 when it is done (answered or failed). */
export function observeAnswerQueue(change: 1 | -1): void {
  answerQueueDepth.inc(change);
}
