/**
 * Serves the built portal and console (web/dist, made by `vite build`) from the API's server:
 * the assets under /web/, and index.html for /portal, /console and their sub-paths (the apps
 * route in the browser). The API's own paths (/v1/*, /health, /openapi.json) are untouched, and
 * unknown paths keep answering problem+json `route_not_found`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { PROJECT_ROOT } from '../paths.js';

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Keiyaku: portal not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>The portal is not built yet</h1>
<p>The API is running, but <code>web/dist</code> is missing. Build the portal and console with
<code>npm run build:web</code> (or start with <code>npm start</code>, which builds it when needed), then reload.</p>
<p lang="ja">ポータルがまだビルドされていません。<code>npm run build:web</code> を実行してから再読み込みしてください。</p>
</body></html>`;

/** web/dist of this checkout. */
export const WEB_DIST = resolve(PROJECT_ROOT, 'web', 'dist');

/** Registers the web apps; `distDir` is the folder `vite build` wrote. */
export async function webRoutes(server: FastifyInstance, distDir: string = WEB_DIST): Promise<void> {
  const indexFile = join(distDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await server.register(fastifyStatic, {
      root: join(distDir),
      prefix: '/web/',
      decorateReply: false,
      index: false,
      wildcard: true,
      // Hashed file names: an asset never changes under its name.
      immutable: true,
      maxAge: '365d',
    });
  }
  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    // Read each time: a rebuild while the server runs is served at once (the file is small).
    if (!existsSync(indexFile)) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(readFileSync(indexFile, 'utf8'));
  };
  for (const app of ['/portal', '/console']) {
    server.get(app, { schema: { hide: true } }, sendIndex);
    server.get(`${app}/*`, { schema: { hide: true } }, sendIndex);
  }
}
