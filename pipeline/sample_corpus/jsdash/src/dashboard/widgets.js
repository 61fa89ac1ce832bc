// DOM helpers for the individual dashboard widgets.
import { escape } from 'lodash';

export function metricCard(name, value, unit = '') {
  const card = document.createElement('article');
  card.className = 'metric-card';
  card.dataset.metric = name;
  card.innerHTML = `<h3>${escape(name)}</h3><p class="value">${escape(value)} ${escape(unit)}</p>`;
  return card;
}

export function errorBanner(error) {
  const banner = document.createElement('div');
  banner.className = 'error-banner';
  banner.textContent = `Could not load metrics: ${error.message}`;
  return banner;
}
