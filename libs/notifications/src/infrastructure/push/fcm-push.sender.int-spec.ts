import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { FcmPushSender } from './fcm-push.sender.js';

/** A local HTTP server standing in for Google's token endpoint and FCM's `messages:send`. */
describe('FcmPushSender against a fake FCM', () => {
  let server: Server;
  let base: string;
  const seen: { path: string; auth?: string; body: string }[] = [];
  let tokenCalls = 0;
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => resolve(body));
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void read(req).then((body) => {
        seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        if (req.url === '/token') {
          tokenCalls++;
          return res.end(JSON.stringify({ access_token: 'ya29.fake', expires_in: 3600, token_type: 'Bearer' }));
        }
        const token = (JSON.parse(body) as { message: { token: string } }).message.token;
        if (token === 'dead') {
          res.statusCode = 404;
          return res.end(
            JSON.stringify({
              error: { code: 404, status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] },
            }),
          );
        }
        if (token === 'flaky') {
          res.statusCode = 503;
          return res.end(JSON.stringify({ error: { code: 503, status: 'UNAVAILABLE' } }));
        }
        res.end(JSON.stringify({ name: 'projects/ficus-test/messages/1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sender = () =>
    new FcmPushSender({
      projectId: 'ficus-test',
      clientEmail: 'push@ficus-test.iam.gserviceaccount.com',
      privateKey,
      apiUrl: base,
      tokenUrl: `${base}/token`,
    });
  const message = (token: string) => ({
    token,
    platform: 'android' as const,
    title: 'Order confirmed',
    body: 'Your order is confirmed.',
    data: { orderId: 'o-1' },
  });

  it('gets an OAuth token with a signed service-account assertion, then sends with it (token cached)', async () => {
    const fcm = sender();
    expect(await fcm.send(message('alive'))).toBe('sent');
    expect(await fcm.send(message('alive'))).toBe('sent');
    expect(tokenCalls).toBe(1);
    const grant = new URLSearchParams(seen.find((s) => s.path === '/token')!.body);
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(decodeJwt(grant.get('assertion')!)).toMatchObject({
      iss: 'push@ficus-test.iam.gserviceaccount.com',
      aud: `${base}/token`,
      scope: 'https://www.googleapis.com/auth/firebase.messaging',
    });
    const sent = seen.filter((s) => s.path === '/v1/projects/ficus-test/messages:send');
    expect(sent).toHaveLength(2);
    expect(sent[0].auth).toBe('Bearer ya29.fake');
    expect(JSON.parse(sent[0].body)).toEqual({
      message: {
        token: 'alive',
        notification: { title: 'Order confirmed', body: 'Your order is confirmed.' },
        data: { orderId: 'o-1' },
      },
    });
  });

  it('reports a token FCM calls UNREGISTERED, and throws on other errors so the job retries', async () => {
    const fcm = sender();
    expect(await fcm.send(message('dead'))).toBe('unregistered');
    await expect(fcm.send(message('flaky'))).rejects.toThrow('FCM answered 503 UNAVAILABLE');
  });
});
