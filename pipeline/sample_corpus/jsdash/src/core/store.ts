// A minimal observable store: one state object, replaced on every update.
import type { DashboardState, Listener, Metric } from './types';
import { clamp } from '@util/format.js';

export interface Store {
  getState(): DashboardState;
  setMetrics(metrics: Metric[]): void;
  setError(error: Error): void;
  subscribe(listener: Listener): () => void;
}

export function createStore(initial?: Partial<DashboardState>): Store {
  let state: DashboardState = { metrics: {}, error: null, updatedAt: null, ...initial };
  const listeners = new Set<Listener>();

  const emit = () => listeners.forEach((listener) => listener(state));

  return {
    getState: () => state,
    setMetrics(metrics) {
      const byName: Record<string, Metric> = {};
      for (const metric of metrics) {
        byName[metric.name] = { ...metric, value: clamp(metric.value, -1e12, 1e12) };
      }
      state = { metrics: byName, error: null, updatedAt: Date.now() };
      emit();
    },
    setError(error) {
      state = { ...state, error };
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
