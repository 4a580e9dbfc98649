/**
 * Child-process entry of the benchmark: starts Keiyaku from the environment (like `npm start`,
 * listening on PORT=0), tells the parent its URL over IPC, and stops when told to. The server runs
 * in a process of its own so the load generator does not share its event loop.
 */
import { performance } from 'node:perf_hooks';
import { start } from '../src/boot.js';
import { loadConfig } from '../src/config.js';

const t0 = performance.now();
const running = await start(loadConfig(process.env), { listen: true });
process.send?.({ type: 'ready', url: running.url, startMs: performance.now() - t0, kind: running.store.kind });
process.on('message', (msg: { type?: string }) => {
  if (msg?.type !== 'stop') return;
  void running.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
