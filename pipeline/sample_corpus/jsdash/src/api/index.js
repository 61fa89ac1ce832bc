// Client for the metrics backend. Re-exports the query builder for callers
// that want to construct URLs themselves.
import { buildQuery } from './query.js';

export { buildQuery } from './query.js';

const BASE_URL = '/api/v1';

export async function fetchMetrics({ window = '1h', names = [] } = {}) {
  const response = await fetch(`${BASE_URL}/metrics?${buildQuery({ window, name: names })}`);
  if (!response.ok) {
    throw new Error(`metrics request failed: ${response.status} ${response.statusText}`);
  }
  const body = await response.json();
  return body.metrics.map((m) => ({ ...m, points: m.points ?? [] }));
}
