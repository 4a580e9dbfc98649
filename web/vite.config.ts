// Builds the portal and console into web/dist. The server serves the files under /web/ and
// answers /portal/* and /console/* with index.html (src/http/web.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/web/',
  // Vite 8 transforms JSX with oxc; the automatic runtime needs no React import per file.
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  logLevel: 'warn',
});
