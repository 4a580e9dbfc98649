/**
 * The browser's one way to the public API (the portal and console use nothing else).
 * Sends the bearer token, Accept-Language and JSON; a refusal becomes an `ApiProblem` carrying
 * the problem+json `code`, `detail` and `errors[]` (by field path) so a screen can show each
 * message next to its field.
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail: string;
  errors: FieldProblem[];
}

export class ApiProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiProblem';
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface ApiClientOptions {
  /** The bearer credential: a customer portal token or the operator key. */
  token: () => string | null;
  /** 'ja' or 'en': sent as Accept-Language so messages come back in the reader's language. */
  lang: () => string;
  /** Base URL of the API; default: same origin. */
  baseUrl?: string;
}

export interface ApiClient {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, opts?: { idempotencyKey?: string }): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
  patch<T = unknown>(path: string, body: unknown): Promise<T>;
  delete<T = unknown>(path: string): Promise<T>;
  /** A binary resource (a PDF) fetched with the credential, as a Blob. */
  blob(path: string): Promise<Blob>;
}

/** A fresh idempotency key. */
export function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `k-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

async function problemOf(res: Response): Promise<Problem> {
  let body: Partial<Problem> & Record<string, unknown> = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON: keep the status */
  }
  return {
    status: res.status,
    code: typeof body.code === 'string' ? body.code : `http_${res.status}`,
    title: typeof body.title === 'string' ? body.title : undefined,
    detail: typeof body.detail === 'string' ? body.detail : res.statusText || `HTTP ${res.status}`,
    errors: Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [],
  };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl ?? '';
  function headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = options.token();
    return { 'accept-language': options.lang(), accept: 'application/json, application/problem+json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
  }
  async function call<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: headers(body !== undefined ? { 'content-type': 'application/json', ...extra } : extra),
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new ApiProblem({ status: 0, code: 'network_error', detail: err instanceof Error ? err.message : String(err), errors: [] });
    }
    if (!res.ok) throw new ApiProblem(await problemOf(res));
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body, opts) => call('POST', path, body ?? {}, { 'idempotency-key': opts?.idempotencyKey ?? newKey() }),
    put: (path, body) => call('PUT', path, body ?? {}, { 'idempotency-key': newKey() }),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path) => call('DELETE', path),
    async blob(path) {
      const res = await fetch(base + path, { headers: headers() });
      if (!res.ok) throw new ApiProblem(await problemOf(res));
      return res.blob();
    },
  };
}

/**
 * The same client, calling `onUnauthorized` with the problem whenever the API answers 401: the
 * credential is missing, wrong, expired or ended (a portal link revoked by the operator, an
 * operator key changed on the server). Each app turns that into one screen of its own (the
 * portal's "this link has expired", the console's sign-in) instead of a message per request.
 * The error is still thrown, so the caller's own handling (busy flags) ends as usual.
 */
export function guardUnauthorized(client: ApiClient, onUnauthorized: (problem: Problem) => void): ApiClient {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 401) onUnauthorized(err.problem);
      throw err;
    }
  };
  return {
    get: (path) => guard(() => client.get(path)),
    post: (path, body, opts) => guard(() => client.post(path, body, opts)),
    put: (path, body) => guard(() => client.put(path, body)),
    patch: (path, body) => guard(() => client.patch(path, body)),
    delete: (path) => guard(() => client.delete(path)),
    blob: (path) => guard(() => client.blob(path)),
  };
}

/**
 * The messages a problem has for one field. Paths come as `seats` (business rules) or
 * `body.seats` (validation); both match the field name `seats`.
 */
export function fieldMessage(problem: Problem | null | undefined, field: string): string | undefined {
  if (!problem) return undefined;
  const hits = problem.errors.filter((e) => {
    const path = e.path.replace(/^(body|querystring|params)\.?/, '');
    return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
  });
  return hits.length ? hits.map((e) => e.message).join(' ') : undefined;
}

/** True when the problem names at least one of the given fields (so it is shown there, not at the top). */
export function problemHasField(problem: Problem | null | undefined, fields: readonly string[]): boolean {
  return !!problem && fields.some((f) => fieldMessage(problem, f) !== undefined);
}

/** Turns anything thrown into a Problem for display. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ApiProblem) return err.problem;
  return { status: 0, code: 'client_error', detail: err instanceof Error ? err.message : String(err), errors: [] };
}

/** Opens a PDF fetched with the credential in a new tab (a plain link cannot send the bearer token). */
export async function openPdf(api: ApiClient, path: string): Promise<void> {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(blob);
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The portal link for a customer token: `/portal#token=kyc_…`. The fragment never reaches a
 * server log; the portal moves it into sessionStorage, clears it from the address and asks
 * `GET /v1/session` for the token's account.
 */
export function portalLink(session: { token: string }, origin = ''): string {
  return `${origin}/portal#token=${encodeURIComponent(session.token)}`;
}

/** Downloads a file (a PDF, a CSV) fetched with the credential under `filename` (works the same on a phone). */
export async function downloadFile(api: ApiClient, path: string, filename: string): Promise<void> {
  const blob = await api.blob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
