import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  raw: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, for tests to read. */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private server!: SMTPServer;
  port = 0;
  /** When set, the server rejects messages (to test retries). */
  failing = false;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        if (this.failing) {
          stream.resume();
          stream.on('end', () => done(Object.assign(new Error('Temporary failure'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream)
          .then((mail) => {
            const to = [mail.to].flat().flatMap((a) => (a ? a.value.map((v) => v.address ?? '') : []));
            this.messages.push({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              inReplyTo: mail.inReplyTo,
              references: [mail.references ?? []].flat(),
              raw: mail,
            });
            done();
          })
          .catch(done);
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until a message matching `match` arrives (mail is sent by jobs after commit). */
  async waitFor(match: (m: CaughtMail) => boolean, timeoutMs = 15_000): Promise<CaughtMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No matching mail within ${timeoutMs} ms; got: ${this.messages.map((m) => `${m.to} "${m.subject}"`).join('; ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  to(address: string) {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a mail that starts with `prefix`. */
export function linkIn(mail: CaughtMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s]+`));
  if (!match) throw new Error(`No link starting with ${prefix} in: ${mail.text}`);
  return match[0];
}
