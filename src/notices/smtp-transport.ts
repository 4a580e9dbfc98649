/** The SMTP implementation of the mail port, through nodemailer (used when `SMTP_URL` is set). */
import { createTransport } from 'nodemailer';
import type { MailMessage, MailTransport } from './mail-transport.js';

/** The URL without its credentials, for records and logs. */
export function redactSmtpUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

/**
 * A transport to the SMTP server of `url` (`smtp://user:pass@host:587`, `smtps://…:465`). Short
 * timeouts: a server that does not answer is an attempt that failed and is retried later, not a
 * worker stuck for minutes.
 */
export function smtpTransport(url: string): MailTransport {
  const mailer = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 });
  return {
    name: redactSmtpUrl(url),
    async send(message: MailMessage, signal?: AbortSignal) {
      const info = await mailer.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        headers: message.headers,
        attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        ...(signal ? { signal } : {}),
      });
      return { messageId: info.messageId };
    },
    close() {
      mailer.close();
    },
  };
}
