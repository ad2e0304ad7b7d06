import { getEnv } from '@/lib/env';
import { bearerMatches } from '@/lib/metrics/auth';
import { scrapeMetrics } from '@/lib/metrics/scrape';

export const dynamic = 'force-dynamic';

// Prometheus scrape endpoint: 404 unless METRICS_TOKEN is set, then only with that bearer token.
export async function GET(request: Request) {
  const token = getEnv().metricsToken;
  if (!token) return new Response('Not Found\n', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  if (!bearerMatches(request.headers.get('authorization'), token)) {
    return new Response('Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' },
    });
  }
  const { contentType, body } = await scrapeMetrics();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}
