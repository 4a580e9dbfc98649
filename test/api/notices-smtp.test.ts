/**
 * Notices by SMTP (SPEC §6, issue 6): a real SMTP server (`smtp-server`) on 127.0.0.1 inside the
 * test, a real TCP conversation with Keiyaku's nodemailer transport; the outbox on the real
 * database; time only through the test clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { createTestDatabase, DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';
import { retryDelaySeconds, sendNotice } from '../../src/app/notices.js';
import { messageIdOf } from '../../src/notices/mail-transport.js';
import { redactSmtpUrl } from '../../src/notices/smtp-transport.js';
import { claimDueNotices } from '../../src/store/notices.js';

// ---- a small reader of the MIME messages nodemailer writes (headers, multipart, base64, QP, RFC 2047) ----

interface Part {
  headers: Record<string, string>;
  body: Buffer;
  parts: Part[];
}

function decodeQp(text: string): Buffer {
  const bytes: number[] = [];
  const s = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), adjacent ones joined. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
    (enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQp(text.replace(/_/g, ' '))).toString('utf8'),
  );
}

/** `raw` is the message as bytes read one to one into a string (latin1). */
function parseMime(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const text = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const parts = text
      .split(`--${boundary}`)
      .slice(1)
      .filter((s) => !s.startsWith('--'))
      .map((s) => parseMime(s.replace(/^\r\n/, '')));
    return { headers, body: Buffer.alloc(0), parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(text.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQp(text) : Buffer.from(text, 'latin1');
  return { headers, body, parts: [] };
}

function leaves(p: Part): Part[] {
  return p.parts.length ? p.parts.flatMap(leaves) : [p];
}

interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
  mail: Part;
  text: string;
  attachments: Array<{ filename: string; type: string; content: Buffer }>;
}

/** A real SMTP server that keeps what it receives; with `hang` it takes the data and never answers. */
async function startSmtp(opts: { hang?: boolean } = {}) {
  const received: Received[] = [];
  const hanging: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'keiyaku' && auth.password === 's3cret') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMime(Buffer.concat(chunks).toString('latin1'));
        if (opts.hang) {
          hanging.push(mail.headers['x-keiyaku-notice'] ?? '');
          return;
        }
        const all = leaves(mail);
        const text = all.find((p) => (p.headers['content-type'] ?? 'text/plain').startsWith('text/plain'))?.body.toString('utf8') ?? '';
        const attachments = all
          .filter((p) => (p.headers['content-disposition'] ?? '').startsWith('attachment'))
          .map((p) => ({ filename: /filename="?([^";]+)"?/.exec(p.headers['content-disposition'] ?? '')?.[1] ?? '', type: p.headers['content-type'] ?? '', content: p.body }));
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          mail,
          text,
          attachments,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    hanging,
    port,
    url: `smtp://keiyaku:s3cret@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: an SMTP server that is down. */
async function downUrl(): Promise<string> {
  const s = await startSmtp();
  await s.close();
  return `smtp://keiyaku:s3cret@127.0.0.1:${s.port}`;
}

const MAIL = (url: string) => ({
  KEIYAKU_TEST_CLOCK: '2026-06-10T09:00:00+09:00',
  SMTP_URL: url,
  KEIYAKU_MAIL_FROM: '"Keiyaku Demo" <billing@keiyaku.example>',
  KEIYAKU_MAIL_POLL_MS: '25',
  KEIYAKU_MAIL_MAX_ATTEMPTS: '3',
  KEIYAKU_MAIL_RETRY_SECONDS: '60',
});

/**
 * Waits until the stopped servers' connections have left the database: pg's pool resolves `end()`
 * before its sockets close, and a forced drop would otherwise kill them mid-goodbye (57P01).
 */
async function sessionsGone(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.KEIYAKU_TEST_DATABASE_URL });
  await admin.connect();
  try {
    await vi.waitFor(
      async () => {
        const { rows } = await admin.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
        expect(Number(rows[0]!.n)).toBe(0);
      },
      { timeout: 5000, interval: 20 },
    );
  } finally {
    await admin.end();
  }
}

/** A database that outlives one server, so a restart finds the outbox as it was. */
async function persistentDatabase() {
  if (DB_KIND === 'postgres') {
    const db = (await createTestDatabase())!;
    return { start: (env: Record<string, string>) => startTestServer(env, db), drop: async () => (await sessionsGone(db.url), await db.drop()) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'keiyaku-smtp-'));
  return { start: (env: Record<string, string>) => startTestServer({ ...env, KEIYAKU_DATA: dir }, null), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const outbox = async (t: TestServer, accountId: string) => (await t.api('GET', `/v1/notices?accountId=${accountId}`)).body.notices as any[];
const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 25 });
const moveClock = async (t: TestServer, seconds: number) => {
  const now = (await t.api('GET', '/v1/clock')).body.now as string;
  const to = new Date(Date.parse(now) + seconds * 1000).toISOString();
  expect((await t.api('POST', '/v1/clock', { now: to })).status).toBe(200);
};

describe(`SPEC §6 notices by SMTP (${DB_KIND})`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let store: Awaited<ReturnType<typeof persistentDatabase>>;
  let t: TestServer;
  beforeAll(async () => {
    smtp = await startSmtp();
    store = await persistentDatabase();
    t = await store.start(MAIL(smtp.url));
  });
  afterAll(async () => {
    await t?.stop();
    await store?.drop();
    await smtp?.close();
  });

  it('a completed bank-transfer order: the mail arrives with subject, body and the invoice PDF attached', async () => {
    const id = await newAccount(t, 'premium');
    const account = (await t.api('GET', `/v1/accounts/${id}`)).body;
    const placed = await order(t, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-06-10', paymentMethod: 'bank-transfer' });
    expect(placed.status).toBe('completed');
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;

    const [notice] = await waitFor(async () => {
      const list = await outbox(t, id);
      expect(list[0].delivery.status).toBe('sent');
      return list;
    });
    const mails = smtp.received.filter((m) => m.mail.headers['x-keiyaku-notice'] === notice.id);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    // The envelope and headers: to the account, from KEIYAKU_MAIL_FROM, authenticated with SMTP_URL's user.
    expect(mail.user).toBe('keiyaku');
    expect(mail.envelopeTo).toEqual([account.email]);
    expect(mail.envelopeFrom).toBe('billing@keiyaku.example');
    expect(mail.mail.headers.to).toBe(account.email);
    expect(mail.mail.headers.from).toBe('Keiyaku Demo <billing@keiyaku.example>');
    // The Message-ID is the notice's own: a repeated attempt is recognisable.
    expect(mail.mail.headers['message-id']).toBe(`<${notice.id}@keiyaku.example>`);
    // Subject and body as in the outbox, in Japanese: the plan, the amount, the due date (B8: end of month).
    expect(mail.mail.headers.subject).toBe(notice.subject);
    expect(mail.mail.headers.subject).toContain('Plan 10');
    expect(mail.text.replace(/\r\n/g, '\n').trim()).toBe(notice.body.trim());
    expect(mail.text).toContain(`${invoice.amount.total.toLocaleString('en')}円（税込）`);
    expect(mail.text).toContain('お支払期限: 2026年6月30日');
    expect(mail.text).toContain(`請求書（${invoice.number}）のPDFを添付`);
    // The invoice PDF, the very bytes the API serves.
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.filename).toBe(`${invoice.number}.pdf`);
    expect(pdf.type).toContain('application/pdf');
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const served = await t.running.server.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}/pdf`, headers: { authorization: `Bearer ${t.running.operatorKey}` } });
    expect(Buffer.compare(pdf.content, served.rawPayload)).toBe(0);

    // What the operator sees: sent once, through which server (never its password), with the message id.
    expect(notice).toMatchObject({ kind: 'order-completed', attachment: { documentId: invoice.id } });
    expect(notice.delivery).toMatchObject({ status: 'sent', attempts: 1, lastError: null, nextAttemptAt: null, via: `smtp://127.0.0.1:${smtp.port}`, messageId: `<${notice.id}@keiyaku.example>` });
    // The clock did not move: delivered the instant it was written.
    expect(notice.delivery.deliveredAt).toBe(notice.sentAt);
    expect(JSON.stringify(await t.api('GET', '/v1/notices'))).not.toContain('s3cret');
    // The customer sees that it went out.
    const [mine] = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices;
    expect(mine.delivery).toEqual({ status: 'sent', deliveredAt: notice.delivery.deliveredAt });
  });

  it('a sign-in link by mail: the mail carries a link that signs in; once sent, the outbox keeps the mail without its token', async () => {
    const id = await newAccount(t, 'teamspace');
    const account = (await t.api('GET', `/v1/accounts/${id}`)).body;
    expect((await t.api('POST', '/v1/portal-links', { email: account.email }, { token: null })).status).toBe(202);
    const notice = await waitFor(async () => {
      const n = (await outbox(t, id)).find((x) => x.kind === 'portal-link');
      expect(n?.delivery.status).toBe('sent');
      return n;
    });
    const mail = smtp.received.find((m) => m.mail.headers['x-keiyaku-notice'] === notice.id)!;
    expect(mail.envelopeTo).toEqual([account.email]);
    const link = /https?:\/\/\S+#token=(kyc_[A-Za-z0-9_-]+)/.exec(mail.text)!;
    expect((await t.api('GET', '/v1/session', undefined, { token: link[1]! })).body).toMatchObject({ kind: 'customer', accountId: id });
    // The database keeps no usable token: not in the kept mail, not in its facts.
    const kept = await t.running.ctx.db.selectFrom('notices').select(['body', 'params']).where('account_id', '=', id).where('id', '=', notice.id).executeTakeFirstOrThrow();
    expect(kept.body).toContain('/portal#token=kyc_…');
    expect(JSON.stringify(kept)).not.toContain(link[1]!);
  });

  it('B9: a quotation by mail carries the quotation PDF; an English account gets English mail', async () => {
    const id = await newAccount(t, 'ebook5', { options: { lang: 'en' } });
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-06-10', paymentMethod: 'card' });
    const placed = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' });
    const quote = (await t.api('GET', `/v1/quotes/${placed.quoteId}`)).body;
    const notice = await waitFor(async () => {
      const n = (await outbox(t, id)).find((x) => x.kind === 'quotation-issued');
      expect(n?.delivery.status).toBe('sent');
      return n;
    });
    const mail = smtp.received.find((m) => m.mail.headers['x-keiyaku-notice'] === notice.id)!;
    expect(mail.mail.headers.subject).toBe(`Quotation ${quote.number}: Business 10`);
    expect(mail.text).toContain('Valid until: 30 June 2026');
    expect(mail.text).toContain('118,800 yen (tax included)');
    expect(mail.attachments.map((a) => a.filename)).toEqual([`${quote.number}.pdf`]);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe(`SMTP down, crashes and restarts (${DB_KIND})`, () => {
  it('SMTP down: retried with backoff on the clock, marked failed after the attempts; nothing is lost, and later notices go once SMTP is back', async () => {
    const store = await persistentDatabase();
    const down = await downUrl();
    let t = await store.start(MAIL(down));
    let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      const id = await newAccount(t, 'premium');
      const send = (end: string) => t.running.ctx.db.transaction().execute((trx) => sendNotice(t.running.ctx, trx, { accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end } }));
      await send('2026-07-10');
      // Attempt 1 fails at once (connection refused); the next is due 60 s later on the clock.
      const first = await waitFor(async () => {
        const [n] = await outbox(t, id);
        expect(n.delivery.attempts).toBe(1);
        expect(n.delivery.lastError).toBeTruthy();
        return n;
      });
      expect(first.delivery).toMatchObject({ status: 'pending', nextAttemptAt: '2026-06-10T00:01:00.000Z', deliveredAt: null });
      expect(first.delivery.lastError).toMatch(/ECONNREFUSED|connect/i);
      // Attempt 2 after 60 s; attempt 3 after a further 120 s (the wait doubles), then failed.
      await moveClock(t, 60);
      await waitFor(async () => expect((await outbox(t, id))[0].delivery).toMatchObject({ attempts: 2, nextAttemptAt: '2026-06-10T00:03:00.000Z' }));
      await moveClock(t, 119);
      await send('2026-07-11'); // written while SMTP is down: its first attempt fails too
      await waitFor(async () => expect((await outbox(t, id))[0].delivery.attempts).toBe(1));
      expect((await outbox(t, id))[1].delivery.attempts).toBe(2); // 1 s early: not yet
      await moveClock(t, 1);
      const failed = await waitFor(async () => {
        const n = (await outbox(t, id))[1];
        expect(n.delivery.status).toBe('failed');
        return n;
      });
      expect(failed.delivery).toMatchObject({ attempts: 3, nextAttemptAt: null, deliveredAt: null, messageId: null });
      expect(failed.delivery.lastError).toMatch(/ECONNREFUSED|connect/i);
      // Nothing lost: the notice keeps its text, and the operator finds it by status.
      expect(failed.body).toContain('2026年7月10日');
      expect((await t.api('GET', `/v1/notices?status=failed&accountId=${id}`)).body.notices.map((n: any) => n.id)).toEqual([failed.id]);

      // SMTP comes back (a restart with a working server): the pending notice goes; the failed one stays failed.
      await t.stop();
      smtp = await startSmtp();
      t = await store.start(MAIL(smtp.url));
      await moveClock(t, 3600);
      const pending = await waitFor(async () => {
        const n = (await outbox(t, id))[0];
        expect(n.delivery.status).toBe('sent');
        return n;
      });
      expect(pending.delivery.attempts).toBe(2);
      expect(smtp.received.map((m) => m.mail.headers['x-keiyaku-notice'])).toEqual([pending.id]);
      expect((await outbox(t, id))[1].delivery.status).toBe('failed');
    } finally {
      await t.stop();
      await smtp?.close();
      await store.drop();
    }
  });

  it('a restart does not send twice; a notice claimed by a process that crashed is sent after its lease, with the same Message-ID', async () => {
    const store = await persistentDatabase();
    const smtp = await startSmtp();
    let t = await store.start(MAIL(smtp.url));
    try {
      const id = await newAccount(t, 'premium');
      await order(t, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-06-10', paymentMethod: 'card' });
      const [sent] = await waitFor(async () => {
        const list = await outbox(t, id);
        expect(list[0].delivery.status).toBe('sent');
        return list;
      });
      expect(smtp.received).toHaveLength(1);

      // A crash between "mail accepted" and "recorded as sent": the claim (attempt counted, lease
      // taken) committed, the outcome never written. Done here as that process would have.
      const ctx = t.running.ctx;
      const now = (await t.api('GET', '/v1/clock')).body.now as string;
      const leased = await ctx.db.transaction().execute(async (trx) => {
        await sendNotice(ctx, trx, { accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2027-06-09' }, dedupeKey: 'crash' });
        return claimDueNotices(trx, now, new Date(Date.parse(now) + 300_000).toISOString(), 100);
      });
      expect(leased.map((n) => n.kind)).toEqual(['expiry-reminder']);

      await t.stop();
      t = await store.start(MAIL(smtp.url));
      // After the restart a new notice goes out; the one sent before does not go again, and the
      // leased one waits for its lease.
      await t.running.ctx.db.transaction().execute((trx) => sendNotice(t.running.ctx, trx, { accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2027-06-10' } }));
      await waitFor(async () => expect(smtp.received).toHaveLength(2));
      expect(smtp.received.map((m) => m.mail.headers['x-keiyaku-notice'])).not.toContain(leased[0]!.id);
      expect(smtp.received.filter((m) => m.mail.headers['x-keiyaku-notice'] === sent.id)).toHaveLength(1);

      await moveClock(t, 301);
      await waitFor(async () => expect(smtp.received).toHaveLength(3));
      const again = smtp.received[2]!;
      expect(again.mail.headers['x-keiyaku-notice']).toBe(leased[0]!.id);
      expect(again.mail.headers['message-id']).toBe(`<${leased[0]!.id}@keiyaku.example>`);
      // (The server has the mail a moment before the worker records it as sent.)
      await waitFor(async () => expect((await outbox(t, id)).find((x) => x.id === leased[0]!.id).delivery).toMatchObject({ status: 'sent', attempts: 2 }));
      // Nothing more is sent, however often the worker looks.
      await t.stop();
      t = await store.start(MAIL(smtp.url));
      await t.running.ctx.db.transaction().execute((trx) => sendNotice(t.running.ctx, trx, { accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2027-06-11' } }));
      await waitFor(async () => expect(smtp.received).toHaveLength(4));
      const ids = smtp.received.map((m) => m.mail.headers['x-keiyaku-notice']);
      expect(new Set(ids).size).toBe(4);
    } finally {
      await t.stop();
      await smtp.close();
      await store.drop();
    }
  });

  it('a shutdown during a send that hangs stops at once; the attempt is given back, uncounted, and the notice goes after the restart', async () => {
    const store = await persistentDatabase();
    const stuck = await startSmtp({ hang: true });
    let t = await store.start(MAIL(stuck.url));
    let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      const id = await newAccount(t, 'premium');
      const ctx = t.running.ctx;
      await ctx.db.transaction().execute((trx) => sendNotice(ctx, trx, { accountId: id, kind: 'expiry-reminder', params: { planName: 'Plan 10', end: '2026-07-10' } }));
      await waitFor(async () => expect(stuck.hanging).toHaveLength(1));
      // The server holds the mail without answering (nodemailer would wait 60 s): stop does not.
      await t.stop();
      await stuck.close();
      smtp = await startSmtp();
      t = await store.start(MAIL(smtp.url));
      const [n] = await waitFor(async () => {
        const list = await outbox(t, id);
        expect(list[0].delivery.status).toBe('sent');
        return list;
      });
      expect(n.delivery.attempts).toBe(1);
      expect(smtp.received.map((m) => m.mail.headers['message-id'])).toEqual([`<${stuck.hanging[0]}@keiyaku.example>`]);
    } finally {
      await t.stop();
      await smtp?.close();
      await store.drop();
    }
  });

  it('KEIYAKU_MAIL_FROM is required with SMTP_URL, and SMTP_URL must be an SMTP URL', async () => {
    await expect(startTestServer({ SMTP_URL: 'smtp://127.0.0.1:2525' }, null)).rejects.toThrow(/KEIYAKU_MAIL_FROM/);
    await expect(startTestServer({ SMTP_URL: 'http://mail.example.jp', KEIYAKU_MAIL_FROM: 'a@b.jp' }, null)).rejects.toThrow(/SMTP_URL/);
  });
});

describe('delivery rules', () => {
  it('the wait before each retry doubles from KEIYAKU_MAIL_RETRY_SECONDS, at most 6 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelaySeconds(60, attempt))).toEqual([60, 120, 240, 480, 960, 1920, 3840]);
    expect(retryDelaySeconds(60, 30)).toBe(6 * 3600);
    expect(retryDelaySeconds(0.5, 1)).toBe(0.5);
  });

  it("the Message-ID is the notice id at the From address's domain", () => {
    expect(messageIdOf('ntc_1', 'billing@example.jp')).toBe('<ntc_1@example.jp>');
    expect(messageIdOf('ntc_2', '"Keiyaku Demo" <billing@mail.example.jp>')).toBe('<ntc_2@mail.example.jp>');
  });

  it('the server a notice went through is recorded without its credentials', () => {
    expect(redactSmtpUrl('smtp://user:p%40ss@mail.example.jp:587')).toBe('smtp://mail.example.jp:587');
    expect(redactSmtpUrl('smtps://mail.example.jp')).toBe('smtps://mail.example.jp');
  });
});
