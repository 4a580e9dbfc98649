/**
 * A start that cannot go on says what is wrong and what to do — not a stack trace — and exits with
 * the status docs/operations.md ("Starting and stopping") gives: 3 when something outside Keiyaku
 * refused (the port in use, the PostgreSQL server of DATABASE_URL missing the database or not
 * answering), never printing the password of the URL; `npm start -- --help` shows the defaults the
 * start really uses.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/boot.js';
import { DB_KIND, createTestDatabase } from '../support/harness.js';
import { CLI_ARGS, runToExit } from '../support/process.js';

const run = promisify(execFile);
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

/** Listens on a free port of 127.0.0.1 with `onConnection`; resolves with the port. */
async function listen(onConnection: (socket: Socket) => void = (socket) => socket.destroy()): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A stand-in for a PostgreSQL server that has no such database: it answers the client's start-up
 * message with the FATAL error PostgreSQL sends (SQLSTATE 3D000), as the protocol frames it.
 */
function noSuchDatabase(name: string): Promise<number> {
  const field = (type: string, value: string) => Buffer.concat([Buffer.from(type), Buffer.from(value), Buffer.from([0])]);
  const fields = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', '3D000'), field('M', `database "${name}" does not exist`), Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(fields.length + 4);
  const error = Buffer.concat([Buffer.from('E'), length, fields]);
  return listen((socket) => {
    socket.once('data', () => socket.end(error));
    socket.on('error', () => undefined);
  });
}

/** `npm run keiyaku -- …`: its exit status and what it printed. */
async function keiyaku(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return run(process.execPath, [...CLI_ARGS, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', ...env } }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: err.stdout + err.stderr }),
  );
}

/** One or two plain lines, no stack trace, nothing of Node's own error dump. */
function expectPlain(output: string): void {
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('Node.js v');
  expect(output.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('start failures say what to do, with a documented exit status', () => {
  it('a port in use: one line naming it and the flag, exit 3', { timeout: 60_000 }, async () => {
    const port = await listen();
    const result = await runToExit({ KEIYAKU_DATA: 'memory', PORT: String(port) });
    expect(result.code).toBe(3);
    expect(result.output).toContain(`keiyaku: Port ${port} is in use by another process`);
    expect(result.output).toContain('--port / PORT');
    expectPlain(result.output);
    // The same with the flag.
    const flagged = await runToExit({ KEIYAKU_DATA: 'memory' }, 60_000, ['--port', String(port)]);
    expect(flagged.code).toBe(3);
    expect(flagged.output).toContain(`Port ${port} is in use`);
  });

  it('DATABASE_URL or --database-url naming a database the server does not have, or a server that does not answer: npm start and keiyaku say so, without the password, exit 3', { timeout: 120_000 }, async () => {
    const port = await noSuchDatabase('nosuchdb');
    const url = `postgres://keiyaku:s3cret-pw@127.0.0.1:${port}/nosuchdb`;
    const expected = `Cannot connect to the PostgreSQL server at postgres://keiyaku:***@127.0.0.1:${port}/nosuchdb: database "nosuchdb" does not exist — create it (createdb nosuchdb) or fix DATABASE_URL.`;
    const results = [
      await runToExit({ DATABASE_URL: url }),
      await runToExit({}, 60_000, ['--database-url', url]),
      await keiyaku(['effects'], { DATABASE_URL: url }),
      await keiyaku(['catch-up', '--database-url', url], {}),
    ];
    for (const result of results) {
      expect(result.code, result.output).toBe(3);
      expect(result.output).toContain(`keiyaku: ${expected}`);
      expect(result.output).not.toContain('s3cret-pw');
      expectPlain(result.output);
    }
    const refusing = await closedPort();
    const down = `postgres://keiyaku:s3cret-pw@127.0.0.1:${refusing}/keiyaku`;
    for (const result of [await runToExit({ DATABASE_URL: down }), await keiyaku(['effects'], { DATABASE_URL: down })]) {
      expect(result.code, result.output).toBe(3);
      expect(result.output).toContain(`keiyaku: Cannot connect to the PostgreSQL server at postgres://keiyaku:***@127.0.0.1:${refusing}/keiyaku: nothing answers there (connection refused) — start the PostgreSQL server, or fix the host and port in DATABASE_URL.`);
      expect(result.output).not.toContain('s3cret-pw');
      expectPlain(result.output);
    }
  });

  if (DB_KIND === 'postgres') it('on a real PostgreSQL server: a missing database; and two server processes on a port in use stop with the reason and exit 3', { timeout: 120_000 }, async () => {
    const admin = new URL(process.env.KEIYAKU_TEST_DATABASE_URL!);
    admin.pathname = '/keiyaku_no_such_database';
    const missing = await runToExit({ DATABASE_URL: admin.toString() });
    expect(missing.code).toBe(3);
    expect(missing.output).toContain('database "keiyaku_no_such_database" does not exist — create it (createdb keiyaku_no_such_database) or fix DATABASE_URL.');
    expectPlain(missing.output);

    const database = (await createTestDatabase())!;
    try {
      const port = await listen();
      const two = await runToExit({ DATABASE_URL: database.url, KEIYAKU_PROCESSES: '2', PORT: String(port) });
      expect(two.code).toBe(3);
      expect(two.output).toContain(`keiyaku: Port ${port} is in use by another process`);
      expect(two.output).toContain('keiyaku: server process 1 exited before it served (code 3)');
      expect(two.output).not.toMatch(/^\s+at /m);
    } finally {
      await database.drop();
    }
  });

  it('npm start -- --help shows the catalog the start reads when KEIYAKU_CATALOG is unset, as README.md says', { timeout: 60_000 }, async () => {
    const help = await runToExit({}, 60_000, ['--help']);
    expect(help.code).toBe(0);
    const shown = /--catalog <value>\s+KEIYAKU_CATALOG\s+(\S+)/.exec(help.output)?.[1];
    expect(shown).toBe('catalog/sample.json');
    expect(existsSync(join(PROJECT_ROOT, shown!))).toBe(true);
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`| \`KEIYAKU_CATALOG\` | \`${shown}\` |`);
    expect(help.output).toMatch(/--operator-key <value>\s+KEIYAKU_OPERATOR_KEY\s+generated/);
  });
});
