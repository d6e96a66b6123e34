import { importPKCS8, SignJWT } from 'jose';

/** Signs a token with the test process's real private key but chosen claims, to forge edge cases. */
export async function signTestToken(claims: {
  sub: string;
  roles?: string[];
  aud?: string;
  iss?: string;
  expSecondsFromNow?: number;
}): Promise<string> {
  const key = await importPKCS8(process.env.JWT_PRIVATE_KEY!, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: claims.roles ?? ['customer'] })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? process.env.JWT_ISSUER ?? 'ficus')
    .setAudience(claims.aud ?? process.env.JWT_AUDIENCE ?? 'ficus-mobile')
    .setIssuedAt(now - 3600)
    .setExpirationTime(now + (claims.expSecondsFromNow ?? 900))
    .setJti(crypto.randomUUID())
    .sign(key);
}

/** An unsigned `alg: none` token with otherwise valid claims. */
export function unsignedToken(sub: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub, roles: ['customer', 'admin'], iss: 'ficus', aud: 'ficus-mobile', iat: now, exp: now + 900, jti: 'x' })}.`;
}

/** Flips one character in the signature part. */
export function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const flipped = (s[5] === 'A' ? 'B' : 'A') + '';
  return `${h}.${p}.${s.slice(0, 5)}${flipped}${s.slice(6)}`;
}

/** Changes the payload (e.g. grants admin) while keeping the old signature. */
export function withForgedPayload(token: string, patch: Record<string, unknown>): string {
  const [h, p, s] = token.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...patch };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}
