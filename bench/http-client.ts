/**
 * A small HTTP client over `node:http` with a keep-alive agent: one socket per concurrent
 * worker, reused. (Node's global `fetch` works too — `--client fetch` — but costs the client
 * noticeably more CPU per request, and client and server share this machine's cores.)
 */
import http from 'node:http';

export interface Reply {
  status: number;
  body: unknown;
}

export type ClientKind = 'http' | 'fetch';

export class Client {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    url: string,
    private readonly token: string,
    private readonly kind: ClientKind = 'http',
    maxSockets = 64,
  ) {
    this.base = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends one request; resolves with the status and the parsed JSON body (or the raw text). */
  request(method: string, path: string, body?: unknown): Promise<Reply> {
    return this.kind === 'fetch' ? this.viaFetch(method, path, body) : this.viaHttp(method, path, body);
  }

  /** Like `request`, but throws unless the status is `expected`. */
  async expect(expected: number, method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await this.request(method, path, body);
    if (res.status !== expected) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    return res;
  }

  private headers(body: string | undefined): Record<string, string> {
    const h: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) h['content-type'] = 'application/json';
    return h;
  }

  private async viaFetch(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const res = await fetch(new URL(path, this.base), { method, headers: this.headers(payload), ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    return { status: res.status, body: parseJson(text) };
  }

  private viaHttp(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = this.headers(payload);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    return new Promise((resolve, reject) => {
      const req = http.request({ agent: this.agent, hostname: this.base.hostname, port: this.base.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
