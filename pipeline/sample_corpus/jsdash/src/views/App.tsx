// Root component of the embeddable widget build.
import React, { useEffect, useState } from 'react';
import { MetricCard } from './MetricCard';
import { createStore } from '@core/store';
import type { DashboardState } from '@core/types';

const store = createStore();

export default function App() {
  const [state, setState] = useState<DashboardState>(store.getState());
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => store.subscribe(setState), []);

  if (state.error) {
    return <div className="error-banner">Could not load metrics: {state.error.message}</div>;
  }
  return (
    <main className="grid">
      {Object.values(state.metrics).map((metric) => (
        <MetricCard
          key={metric.name}
          metric={metric}
          highlight={metric.name === selected}
          onSelect={setSelected}
        />
      ))}
    </main>
  );
}
