// Development server: serves the static files and proxies /api to the backend.
// CommonJS on purpose so it runs with plain `node` without a build step.
const http = require('http');
const path = require('path');
const fs = require('fs');
const { buildQueryString } = require('./proxyUtil.cjs');

const PORT = Number(process.env.PORT || 5173);
const BACKEND = process.env.BACKEND_URL || 'http://localhost:8080';
const ROOT = path.resolve(__dirname, '..', '..');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname.startsWith('/api/')) {
    const target = `${BACKEND}${url.pathname}?${buildQueryString(url.searchParams)}`;
    http.get(target, (upstream) => {
      res.writeHead(upstream.statusCode || 502, upstream.headers);
      upstream.pipe(res);
    }).on('error', () => {
      res.writeHead(502);
      res.end('backend unavailable');
    });
    return;
  }
  const file = path.join(ROOT, url.pathname === '/' ? 'index.html' : url.pathname);
  fs.createReadStream(file)
    .on('error', () => {
      res.writeHead(404);
      res.end('not found');
    })
    .pipe(res);
});

server.listen(PORT, () => console.log(`jsdash dev server on http://localhost:${PORT}`));
