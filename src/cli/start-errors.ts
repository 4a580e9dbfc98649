/**
 * Why `npm start` or a `keiyaku` command could not start, in a line or two that say what is wrong
 * and what to do — not a stack trace — with the exit status (docs/operations.md, "Exit status"):
 *
 *   2  a setting or a file to fix: a bad setting or flag, an invalid catalog, a data folder another
 *      Keiyaku process holds
 *   3  something outside Keiyaku refused: the port is in use (or needs privileges, or the host is
 *      not this machine's), the PostgreSQL server of DATABASE_URL cannot be reached, refuses the
 *      login, or has no such database
 *
 * Anything else is a bug: the caller lets its stack trace through (exit status 1).
 */
import { ConfigError } from '../config.js';
import { CatalogError } from '../domain/catalog.js';
import { DataFolderLockedError } from '../store/data-lock.js';

export interface StartFailure {
  message: string;
  exitCode: 2 | 3;
}

/** The settings a start failure is explained with. */
interface Where {
  DATABASE_URL?: string | undefined;
  PORT?: number | string | undefined;
  HOST?: string | undefined;
}

/** DATABASE_URL as it may be printed: the password (in the URL or its query) masked, nothing else of the query. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'DATABASE_URL (not a URL: postgres://user:password@host:5432/database)';
  }
  if (parsed.password) parsed.password = '***';
  const hidden = [...parsed.searchParams.keys()].length > 0;
  parsed.search = '';
  parsed.hash = '';
  return `${parsed.toString()}${hidden ? ' (query not shown)' : ''}`;
}

/** The database name in DATABASE_URL, for `createdb`. */
function databaseName(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || undefined;
  } catch {
    return undefined;
  }
}

type ErrorLike = Error & { code?: string; syscall?: string; port?: number; address?: string; hostname?: string; severity?: string };

/** The listening socket's refusals (EADDRINUSE and its kin), from `listen` or, under several server processes, the primary's `bind`. */
function listenFailure(err: ErrorLike, where: Where): StartFailure | undefined {
  if (err.syscall !== 'listen' && err.syscall !== 'bind') return undefined;
  const port = err.port ?? where.PORT ?? 3000;
  const host = err.address ?? where.HOST ?? '127.0.0.1';
  if (err.code === 'EADDRINUSE') return { exitCode: 3, message: `Port ${port} is in use by another process (on ${host}): stop it or start with another port (--port / PORT; 0 takes any free port).` };
  if (err.code === 'EACCES') return { exitCode: 3, message: `Port ${port} needs privileges this process does not have: use a port above 1023 (--port / PORT), behind a proxy for 80 or 443.` };
  if (err.code === 'EADDRNOTAVAIL') return { exitCode: 3, message: `${host} is not an address of this machine: start with --host / HOST set to one of its addresses (127.0.0.1, or 0.0.0.0 for all).` };
  return undefined;
}

/** PostgreSQL (node-postgres) refusing or not answering the connection of DATABASE_URL. */
function databaseFailure(err: ErrorLike, url: string): StartFailure | undefined {
  const at = `Cannot connect to the PostgreSQL server at ${redactDatabaseUrl(url)}`;
  const name = databaseName(url);
  const fix = (what: string, todo: string): StartFailure => ({ exitCode: 3, message: `${at}: ${what} — ${todo}` });
  switch (err.code) {
    case '3D000':
      return fix(err.message, `create it (createdb${name ? ` ${name}` : ''}) or fix DATABASE_URL.`);
    case '28P01':
      return fix(err.message, 'fix the user or the password in DATABASE_URL.');
    case '28000':
      return fix(err.message, "fix the user in DATABASE_URL, or allow it in the server's pg_hba.conf.");
    case '42501':
      return fix(err.message, 'the user needs to create tables and functions in the database (its migrations run at start): grant it, or use its owner.');
    case '53300':
      return fix(err.message, "raise the server's max_connections, or lower KEIYAKU_DB_POOL or KEIYAKU_PROCESSES.");
    case '57P03':
      return fix(err.message, 'the server is starting or stopping: start Keiyaku again in a moment.');
    case 'ECONNREFUSED':
      return fix('nothing answers there (connection refused)', 'start the PostgreSQL server, or fix the host and port in DATABASE_URL.');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fix(`the host${err.hostname ? ` ${err.hostname}` : ''} is not known`, 'fix the host in DATABASE_URL.');
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return fix(`no answer (${err.code})`, 'check that the server runs and that this machine may reach it, or fix DATABASE_URL.');
    default:
      // Any other refusal of the login itself (a FATAL from the server, a TLS requirement, …).
      if (err.severity === 'FATAL' || /\bSSL\b|password|connection/i.test(err.message)) return fix(err.message, 'fix DATABASE_URL or the server.');
      return undefined;
  }
}

/** What to say of `err`, which stopped a start with these settings; undefined when it is a bug (let its stack through). */
export function startFailure(err: unknown, where: Where): StartFailure | undefined {
  if (err instanceof ConfigError || err instanceof CatalogError || err instanceof DataFolderLockedError) return { exitCode: 2, message: err.message };
  if (!(err instanceof Error)) return undefined;
  const e = err as ErrorLike;
  return listenFailure(e, where) ?? (where.DATABASE_URL ? databaseFailure(e, where.DATABASE_URL) : undefined);
}
