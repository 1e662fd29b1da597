import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  replyTo?: string | null;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  describe(): string;
}

/** SMTP when SMTP_URL is set; otherwise .eml files under DATA_DIR/mail, so nothing is silently dropped. */
export function createMailTransport(smtpUrl: string | undefined, dataDir: string): MailTransport {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      describe: () => `SMTP ${new URL(smtpUrl).host}`,
      async send(mail) {
        await transport.sendMail(toNodemailer(mail));
      },
    };
  }
  const dir = join(dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: () => `files in ${dir}`,
    async send(mail) {
      const info = await transport.sendMail(toNodemailer(mail));
      await mkdir(dir, { recursive: true });
      const safeId = mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
      await writeFile(join(dir, `${Date.now()}-${safeId}.eml`), info.message as Buffer);
    },
  };
}

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references?.length ? mail.references : undefined,
    replyTo: mail.replyTo ?? undefined,
    // Our notifications are automatic (RFC 3834): other desks' robots must not answer them.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
  };
}
