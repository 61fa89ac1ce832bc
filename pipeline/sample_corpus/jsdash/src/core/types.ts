// Shared types of the dashboard state.
export interface Point {
  timestamp: number;
  value: number;
}

export interface Metric {
  name: string;
  group: string;
  unit: string;
  value: number;
  points: Point[];
}

export interface DashboardState {
  metrics: Record<string, Metric>;
  error: Error | null;
  updatedAt: number | null;
}

export type Listener = (state: DashboardState) => void;
