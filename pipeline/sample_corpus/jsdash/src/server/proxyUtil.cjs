// Helpers for the development proxy.
const leftpad = require('leftpad');

function buildQueryString(searchParams) {
  const pairs = [];
  for (const [key, value] of searchParams) {
    pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return pairs.sort().join('&');
}

function logLine(method, status, url) {
  return `${leftpad(String(status), 3, ' ')} ${method} ${url}`;
}

module.exports = { buildQueryString, logLine };
