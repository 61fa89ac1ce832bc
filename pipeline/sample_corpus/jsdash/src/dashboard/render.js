// Renders the dashboard grid from the store state.
import _ from 'lodash';
import { metricCard, errorBanner } from './widgets';
import { formatNumber } from '../util/format';

export function renderDashboard(root, state) {
  if (state.error) {
    root.replaceChildren(errorBanner(state.error));
    return;
  }
  const groups = _.groupBy(Object.values(state.metrics), 'group');
  const sections = _.sortBy(Object.keys(groups)).map((group) => {
    const section = document.createElement('section');
    section.innerHTML = `<h2>${_.escape(group)}</h2>`;
    for (const metric of _.sortBy(groups[group], 'name')) {
      section.appendChild(metricCard(metric.name, formatNumber(metric.value), metric.unit));
    }
    return section;
  });
  root.replaceChildren(...sections);
}
