import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { poolUsage, type Db } from '../db/database.ts';
import { unreadableFieldCount } from '../crypto/unreadable.ts';
import { requireCapability } from '../auth/policy.ts';
import { actorOf } from './request-context.ts';
import { errorBody } from './schemas.ts';
import type { AppContext } from './context.ts';

/**
 * Prometheus metrics (text format 0.0.4) at GET /api/v1/metrics, for platform administrators: a
 * session, or an API token of a platform administrator as Prometheus's bearer token. Route templates
 * only (never a path with an id or a query string), counts and timings: nothing about a person.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { buckets: number[]; sum: number; count: number };

export class RequestTimings {
  private readonly series = new Map<string, Series>();

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${Math.floor(status / 100)}xx`;
    let s = this.series.get(key);
    if (!s) {
      s = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s!.buckets[i]!++;
    });
    s.sum += seconds;
    s.count++;
  }

  lines(): string[] {
    const out = ['# HELP amparo_http_request_duration_seconds Time to answer a request, by route template and status class.', '# TYPE amparo_http_request_duration_seconds histogram'];
    for (const [key, s] of [...this.series].sort(([a], [b]) => a.localeCompare(b))) {
      const [method, route, status] = key.split(' ') as [string, string, string];
      const labels = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
      BUCKETS.forEach((le, i) => out.push(`amparo_http_request_duration_seconds_bucket{${labels},le="${le}"} ${s.buckets[i]}`));
      out.push(`amparo_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      out.push(`amparo_http_request_duration_seconds_sum{${labels}} ${s.sum.toFixed(6)}`);
      out.push(`amparo_http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    return out;
  }
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function gauge(name: string, help: string, value: number, type: 'gauge' | 'counter' = 'gauge'): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
}

export async function renderMetrics(db: Db, timings: RequestTimings): Promise<string> {
  const pool = poolUsage(db);
  const queue = await sql<{ depth: number; oldest: number | null }>`select count(*)::int as depth, extract(epoch from now() - min(enqueued_at))::float8 as oldest from missing_match_queue`.execute(db);
  const { depth, oldest } = queue.rows[0]!;
  const marks = await sql<{ pending: number; oldest: number | null }>`select count(*)::int as pending, extract(epoch from now() - min(marked_at))::float8 as oldest from missing_decision_marks`.execute(db);
  const decisions = marks.rows[0]!;
  return [
    ...timings.lines(),
    '# HELP amparo_db_pool_connections Connections of the server’s pool, by state.',
    '# TYPE amparo_db_pool_connections gauge',
    `amparo_db_pool_connections{state="total"} ${pool?.total ?? 0}`,
    `amparo_db_pool_connections{state="idle"} ${pool?.idle ?? 0}`,
    `amparo_db_pool_connections{state="waiting"} ${pool?.waiting ?? 0}`,
    ...gauge('amparo_db_pool_max', 'Size of the server’s pool.', pool?.max ?? 0),
    ...gauge('amparo_matching_queue_depth', 'Missing-person records waiting to be matched.', depth),
    ...gauge('amparo_matching_lag_seconds', 'Age of the oldest record waiting to be matched (0 when none).', oldest ?? 0),
    ...gauge('amparo_matching_decisions_pending', 'Matched records whose pairs wait to be decided (while an import is matched).', decisions.pending),
    ...gauge('amparo_matching_decision_lag_seconds', 'Age of the oldest record whose pairs wait to be decided (0 when none).', decisions.oldest ?? 0),
    ...gauge('amparo_unreadable_fields_total', 'Encrypted fields that could not be decrypted since the start (a key missing from the ring, a damaged row).', unreadableFieldCount(), 'counter'),
    '',
  ].join('\n');
}

/** One set of timings per server (keyed by its pool: tests run several servers in one process). */
const timingsByServer = new WeakMap<Db, RequestTimings>();
function timingsOf(db: Db): RequestTimings {
  let timings = timingsByServer.get(db);
  if (!timings) {
    timings = new RequestTimings();
    timingsByServer.set(db, timings);
  }
  return timings;
}

/** Times every request of the app (a root hook: it covers the modules' routes registered after it). */
export function timeRequests(app: FastifyInstance, db: Db): void {
  const timings = timingsOf(db);
  app.addHook('onResponse', async (request, reply) => {
    timings.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}

export function metricsRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const timings = timingsOf(db);
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/metrics',
    { schema: { tags: ['platform'], summary: 'Prometheus metrics: request latency per route, pool, matching queue and lag, unreadable fields (platform administrators)', response: { 200: z.unknown().describe('Prometheus text format 0.0.4'), 401: errorBody, 403: errorBody } } },
    async (request, reply) => {
      requireCapability(actorOf(request), 'metrics.read');
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send((await renderMetrics(db, timings)) as never);
    },
  );
}
