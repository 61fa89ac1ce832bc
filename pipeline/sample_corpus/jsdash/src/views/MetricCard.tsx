// React rendering of one metric, used by the embeddable widget build.
import React from 'react';
import type { Metric } from '@core/types';
import { formatNumber } from '@util/format.js';

export interface MetricCardProps {
  metric: Metric;
  highlight?: boolean;
  onSelect?: (name: string) => void;
}

export function MetricCard({ metric, highlight = false, onSelect }: MetricCardProps) {
  const last = metric.points[metric.points.length - 1];
  return (
    <article
      className={highlight ? 'metric-card metric-card--highlight' : 'metric-card'}
      onClick={() => onSelect?.(metric.name)}
    >
      <h3>{metric.name}</h3>
      <p className="value">
        {formatNumber(metric.value)} {metric.unit}
      </p>
      {last && <time dateTime={new Date(last.timestamp).toISOString()}>updated</time>}
    </article>
  );
}
