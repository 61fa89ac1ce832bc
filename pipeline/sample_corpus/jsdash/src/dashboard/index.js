// Public surface of the dashboard package.
export { renderDashboard } from './render.js';
export * from './widgets';
