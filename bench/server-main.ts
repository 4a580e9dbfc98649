/**
 * Child-process entry of the benchmark: starts Keiyaku from the environment (like `npm start`,
 * listening on PORT=0), tells the parent its URL over IPC, and stops when told to. The server runs
 * in a process of its own so the load generator does not share its event loop; with
 * KEIYAKU_PROCESSES above 1 this process is the primary of that many server processes.
 */
import { performance } from 'node:perf_hooks';
import { start } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import cluster from 'node:cluster';
import { joinPrimary, processRole, runPrimary, serverProcesses } from '../src/cluster.js';

const t0 = performance.now();
const config = loadConfig(process.env);
const processes = serverProcesses(config);
if (processes > 1 && cluster.isPrimary) {
  // Several server processes (KEIYAKU_PROCESSES): this is their primary, as `npm start`'s is.
  const primary = (await runPrimary(config, processes, (line) => console.error(line)))!;
  process.send?.({ type: 'ready', url: primary.url, startMs: performance.now() - t0, kind: 'postgres', processes });
  process.on('message', (msg: { type?: string }) => {
    if (msg?.type === 'stop') void primary.stop().then(() => process.exit(0));
  });
} else {
  const running = await start(config, { listen: true });
  if (processRole()) {
    let stopping = false;
    joinPrimary(running.url, () => {
      if (!stopping) void running.stop().then(() => process.exit(0));
      stopping = true;
    });
  } else {
    process.send?.({ type: 'ready', url: running.url, startMs: performance.now() - t0, kind: running.store.kind, processes: 1 });
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
  }
}
