/**
 * The port the notice outbox sends mail through (DESIGN 11: own your ports). The SMTP
 * implementation is `smtp-transport.ts`; anything that can deliver a message may stand in.
 */

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** `<ntc_…@domain>`: derived from the notice id, the same on every attempt (see `messageIdOf`). */
  messageId: string;
  headers: Record<string, string>;
  attachments: MailAttachment[];
}

export interface MailTransport {
  /** Where mail goes, without credentials (`smtp://mail.example.jp:587`): kept with each sent notice. */
  readonly name: string;
  /** Delivers the message or throws; resolves once the server accepted it. `signal` aborts it (shutdown). */
  send(message: MailMessage, signal?: AbortSignal): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * The Message-ID of a notice's mail: derived from the notice id, so an attempt repeated after a
 * crash (sent, but not yet recorded as sent) carries the same id and is recognisable as a
 * duplicate by the recipient's mail system (RFC 5322 §3.6.4).
 *
 * @example
 * messageIdOf('ntc_ab12', 'Keiyaku <billing@example.jp>'); // '<ntc_ab12@example.jp>'
 */
export function messageIdOf(noticeId: string, from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'keiyaku.invalid';
  return `<${noticeId}@${domain}>`;
}
