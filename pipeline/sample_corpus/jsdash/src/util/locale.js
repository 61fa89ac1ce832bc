// Chooses the display locale from the URL, local storage or the browser.
import { clamp } from './format.js';

const SUPPORTED = ['en-US', 'en-GB', 'de-DE', 'fr-FR'];

export function currentLocale() {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  const stored = window.localStorage.getItem('jsdash-locale');
  const preferred = fromUrl || stored || navigator.language;
  return SUPPORTED.includes(preferred) ? preferred : SUPPORTED[0];
}

export function cycleLocale(step = 1) {
  const index = SUPPORTED.indexOf(currentLocale());
  const next = clamp(index + step, 0, SUPPORTED.length - 1);
  window.localStorage.setItem('jsdash-locale', SUPPORTED[next]);
  return SUPPORTED[next];
}
