import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A rule that refuses the next `times` messages it matches with a temporary SMTP error (451). */
interface Refusal {
  matches: (mail: ParsedMail) => boolean;
  times: number;
}

/**
 * A real SMTP server in the test process (smtp-server): it keeps every message it accepted, parsed, and
 * can refuse chosen messages a number of times first, as a flaky mail relay would.
 */
export async function startSmtpCatcher() {
  const received: ParsedMail[] = [];
  const refused: ParsedMail[] = [];
  const refusals: Refusal[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          const refusal = refusals.find((r) => r.times > 0 && r.matches(mail));
          if (refusal) {
            refusal.times--;
            refused.push(mail);
            return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          }
          received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refused,
    refuse: (matches: (mail: ParsedMail) => boolean, times: number) => refusals.push({ matches, times }),
    /** Accepted messages to an address (mailparser lower-cases nothing; compare case-insensitively). */
    to: (address: string) =>
      received.filter((m) =>
        [m.to]
          .flat()
          .flatMap((a) => a?.value ?? [])
          .some((v) => v.address?.toLowerCase() === address.toLowerCase()),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpCatcher = Awaited<ReturnType<typeof startSmtpCatcher>>;
