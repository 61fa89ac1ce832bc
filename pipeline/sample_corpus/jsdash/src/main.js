// Entry point: wires the API client, the store and the dashboard together.
import { renderDashboard } from './dashboard/index.js';
import { createStore } from './core/store';
import { fetchMetrics } from './api';
import { formatDuration } from './util/format.js';

const REFRESH_MS = 15_000;

async function refresh(store) {
  const started = performance.now();
  const metrics = await fetchMetrics({ window: '1h' });
  store.setMetrics(metrics);
  console.debug(`refreshed ${metrics.length} metrics in ${formatDuration(performance.now() - started)}`);
}

export async function start(root) {
  const store = createStore();
  store.subscribe((state) => renderDashboard(root, state));
  await refresh(store);
  setInterval(() => refresh(store).catch((err) => store.setError(err)), REFRESH_MS);

  // Charts pull in a large plotting dependency, so they are loaded only when needed.
  root.addEventListener('click', async (event) => {
    const card = event.target.closest('[data-metric]');
    if (!card) return;
    const { drawSparkline } = await import('./dashboard/charts.js');
    drawSparkline(card, store.getState().metrics[card.dataset.metric]);
  });
}

start(document.getElementById('app'));
