import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey } from 'jose';
import type { FicusConfig } from '../config/ficus.config.js';

export const JWT_ALGORITHM = 'ES256';

export interface JwtKeys {
  /** Present where tokens are issued (identity's process); the facade needs only the public key. */
  privateKey?: CryptoKey;
  publicKey: CryptoKey;
  /** Key id in the JWT header, so keys can be rotated later. */
  kid: string;
}

interface PemPair {
  privateKey: string;
  publicKey: string;
}

async function fromPem(pair: Partial<PemPair> & { publicKey: string }): Promise<JwtKeys> {
  const publicKey = await importSPKI(pair.publicKey, JWT_ALGORITHM);
  const privateKey = pair.privateKey ? await importPKCS8(pair.privateKey, JWT_ALGORITHM) : undefined;
  const { createHash } = await import('node:crypto');
  const kid = createHash('sha256').update(pair.publicKey.trim()).digest('base64url').slice(0, 16);
  return { privateKey, publicKey, kid };
}

/**
 * Development keys are generated once and kept in a git-ignored file so tokens survive restarts and every
 * local process (monolith, extracted hosts) shares them. The `wx` flag makes concurrent first starts
 * agree on one key pair.
 */
async function fromKeyFile(path: string): Promise<JwtKeys> {
  try {
    return await fromPem(JSON.parse(await readFile(path, 'utf8')) as PemPair);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(JWT_ALGORITHM, { extractable: true });
  const pair: PemPair = { privateKey: await exportPKCS8(privateKey), publicKey: await exportSPKI(publicKey) };
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, JSON.stringify(pair), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromPem(JSON.parse(await readFile(path, 'utf8')) as PemPair);
  }
  return fromPem(pair);
}

/** Keys from `JWT_PRIVATE_KEY`/`JWT_PUBLIC_KEY` (PEM) when set; otherwise, outside production, the key file. */
export async function loadJwtKeys(config: FicusConfig): Promise<JwtKeys> {
  const { privateKeyPem, publicKeyPem, keyFile } = config.auth;
  if (publicKeyPem) {
    return fromPem({ privateKey: privateKeyPem?.replace(/\\n/g, '\n'), publicKey: publicKeyPem.replace(/\\n/g, '\n') });
  }
  if (config.nodeEnv === 'production') {
    throw new Error('JWT_PUBLIC_KEY (and JWT_PRIVATE_KEY where tokens are issued) must be set in production');
  }
  return fromKeyFile(keyFile);
}
