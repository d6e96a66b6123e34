import { generateKeyPair, SignJWT } from 'jose';
import { AccessTokenVerifier, InvalidAccessToken } from './access-token.verifier.js';

const auth = { issuer: 'ficus', audience: 'ficus-mobile' } as never;

describe('AccessTokenVerifier', () => {
  let now = Date.parse('2026-06-01T00:00:00Z');
  let verifier: AccessTokenVerifier;
  let sign: (expInSeconds: number) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    verifier = new AccessTokenVerifier({ publicKey, privateKey, kid: 'k' }, auth, () => now);
    sign = (expIn) =>
      new SignJWT({ roles: ['customer'] })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('u1')
        .setIssuer('ficus')
        .setAudience('ficus-mobile')
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + expIn)
        .setJti('j')
        .sign(privateKey);
  });

  it('returns the actor of a valid token, from the cache the second time', async () => {
    const token = await sign(900);
    expect(await verifier.verify(token)).toEqual({ userId: 'u1', roles: ['customer'] });
    expect(await verifier.verify(token)).toEqual({ userId: 'u1', roles: ['customer'] });
  });

  it('rejects a cached token once it has expired', async () => {
    const token = await sign(30);
    await verifier.verify(token);
    now += 31_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidAccessToken);
  });

  it('never lets a tampered copy of a cached token through', async () => {
    const token = await sign(900);
    await verifier.verify(token);
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['admin'] })).toString('base64url')}.${s}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidAccessToken);
  });
});
