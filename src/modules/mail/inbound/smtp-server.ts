import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../../platform/context.js';
import { isSupportAddress, ticketOfAddress } from '../addresses.js';
import { receiveMail } from './router.js';

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in SMTP server for inbound mail (point an MX or a relay at it). It accepts mail for the
 * support addresses and for signed ticket reply addresses only, so it is no open relay; everything
 * accepted goes through the same router as the HTTP endpoint, and a refusal carries its reason back
 * to the sending server, which tells the sender.
 */
export async function startInboundSmtp(ctx: AppContext): Promise<{ port: number; close(): Promise<void> } | null> {
  const { smtpInboundPort: port, smtpInboundHost: host, inboundMaxBytes } = ctx.config;
  if (!port) return null;
  const server = new SMTPServer({
    name: new URL(ctx.config.publicUrl).hostname,
    banner: 'Sundial inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: inboundMaxBytes,
    logger: false,
    async onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      try {
        const ok = isSupportAddress(ctx.config, address.address) || (await ticketOfAddress(ctx.db, address.address)) !== null;
        callback(ok ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
      } catch {
        callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError(552, `5.3.4 Message larger than ${inboundMaxBytes} bytes`));
        const mailFrom = session.envelope.mailFrom;
        receiveMail(ctx, Buffer.concat(chunks), {
          channel: 'smtp',
          envelopeFrom: mailFrom ? mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((r) => r.address),
        })
          .then((r) => callback(r.outcome === 'rejected' ? smtpError(550, `5.7.1 ${r.reason}`) : null))
          // Our failure, not the sender's: 451 makes the sending server try again later.
          .catch(() => callback(smtpError(451, '4.3.0 Temporary failure, try again later')));
      });
    },
  });
  server.on('error', () => undefined); // a broken client connection must not stop the node
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Inbound SMTP port ${port} is already in use: set SMTP_INBOUND_PORT to a free port, or to 0 to turn inbound SMTP off`) : e),
    );
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
