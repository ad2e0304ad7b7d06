import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// This process's Prometheus metrics. Counters and histograms count what this instance did (a
// scraper sums instances); gauges read from the database are the same on every instance.
// Kept on globalThis: Next may load this module once per route bundle, and there must be one
// registry per process.

const PREFIX = 'sendmux_console_';

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  return {
    registry,
    upstreamRequests: new Counter({
      name: `${PREFIX}upstream_requests_total`,
      help: 'HTTP attempts to Sendmux, by endpoint, HTTP status (or network_error, timeout) and key profile',
      labelNames: ['endpoint', 'status', 'profile'] as const,
      registers,
    }),
    upstreamDuration: new Histogram({
      name: `${PREFIX}upstream_request_duration_seconds`,
      help: 'Time from sending an attempt to Sendmux to its full answer',
      labelNames: ['endpoint', 'profile'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    budgetWait: new Histogram({
      name: `${PREFIX}rate_budget_wait_seconds`,
      help: 'Time a sender waited for a start from its key rate budget, by class (interactive, batch)',
      labelNames: ['profile', 'class'] as const,
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30, 60],
      registers,
    }),
    budgetRemaining: new Gauge({
      name: `${PREFIX}rate_budget_remaining`,
      help: "Requests left in the key's current window, as the shared budget counts them",
      labelNames: ['profile'] as const,
      registers,
    }),
    budgetLimit: new Gauge({
      name: `${PREFIX}rate_budget_limit`,
      help: 'Requests per window the upstream announced for the key (X-RateLimit-Limit)',
      labelNames: ['profile'] as const,
      registers,
    }),
    budgetPaused: new Gauge({
      name: `${PREFIX}rate_budget_paused_seconds`,
      help: 'Seconds until a Retry-After pause of the key ends (0 when not paused)',
      labelNames: ['profile'] as const,
      registers,
    }),
    jobRows: new Gauge({
      name: `${PREFIX}batch_rows`,
      help: 'Rows of running and paused batch jobs, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    jobs: new Gauge({
      name: `${PREFIX}batch_jobs`,
      help: 'Batch jobs by status',
      labelNames: ['status'] as const,
      registers,
    }),
    chunkRetries: new Counter({
      name: `${PREFIX}batch_chunk_retries_total`,
      help: 'Batch chunks put back to be sent again after a retryable failure',
      labelNames: ['profile', 'code'] as const,
      registers,
    }),
    signInFailures: new Counter({
      name: `${PREFIX}sign_in_failures_total`,
      help: 'Failed sign-ins, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    draining: new Gauge({
      name: `${PREFIX}draining`,
      help: '1 while this instance drains after SIGTERM',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof build>;

const globalForMetrics = globalThis as typeof globalThis & { __sendmuxMetrics?: Metrics };

export function metrics(): Metrics {
  return (globalForMetrics.__sendmuxMetrics ??= build());
}

/** Path with ids (att_…, eml_…) folded, so label values stay few. */
export function endpointLabel(path: string): string {
  return path.replace(/\/[a-z]+_[A-Za-z0-9]+(?=\/|$)/g, '/:id');
}

export function recordUpstream(profile: string, path: string, status: string, seconds: number): void {
  const m = metrics();
  const endpoint = endpointLabel(path);
  m.upstreamRequests.inc({ endpoint, status, profile });
  m.upstreamDuration.observe({ endpoint, profile }, seconds);
}

export function recordBudgetWait(profile: string, cls: string, ms: number): void {
  metrics().budgetWait.observe({ profile, class: cls }, ms / 1000);
}

export function recordChunkRetry(profile: string, code: string): void {
  metrics().chunkRetries.inc({ profile, code });
}

export function recordSignInFailure(reason: string): void {
  metrics().signInFailures.inc({ reason });
}
