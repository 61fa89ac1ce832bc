// Number and duration formatting. Uses the locale module for separators; the locale
// module in turn uses clamp() from here, which makes the two files an import cycle.
import { currentLocale } from './locale.js';

export function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

export function formatNumber(value, digits = 1) {
  if (!Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: digits }).format(value);
}

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min`;
}
