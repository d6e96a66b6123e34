import { importPKCS8, SignJWT } from 'jose';
import type { PushMessage, PushOutcome, PushSender } from '../../domain/ports.js';

export interface FcmOptions {
  projectId: string;
  /** The service account's e-mail and private key (PEM) from its JSON key file. */
  clientEmail: string;
  privateKey: string;
  /** `https://fcm.googleapis.com`; tests point it at a local fake. */
  apiUrl: string;
  /** `https://oauth2.googleapis.com/token`. */
  tokenUrl: string;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const TIMEOUT_MS = 10_000;

interface FcmErrorBody {
  error?: { status?: string; details?: { errorCode?: string }[] };
}

/**
 * FCM HTTP v1 with plain fetch: an OAuth access token from the service account (a signed JWT exchanged
 * at Google's token endpoint, cached until shortly before it expires), then one `messages:send` per
 * device. `404 UNREGISTERED` means the app is gone from that device: reported, never retried. Anything
 * else that is not a 2xx throws, so the job retries.
 */
export class FcmPushSender implements PushSender {
  private accessToken?: { value: string; expiresAt: number };

  constructor(private readonly options: FcmOptions) {}

  async send(message: PushMessage): Promise<PushOutcome> {
    const url = `${this.options.apiUrl}/v1/projects/${encodeURIComponent(this.options.projectId)}/messages:send`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          token: message.token,
          notification: { title: message.title, body: message.body },
          data: message.data,
        },
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.ok) {
      await res.body?.cancel();
      return 'sent';
    }
    const body = (await res.json().catch(() => ({}))) as FcmErrorBody;
    const codes = (body.error?.details ?? []).map((d) => d.errorCode);
    if (res.status === 404 && (codes.includes('UNREGISTERED') || body.error?.status === 'NOT_FOUND')) {
      return 'unregistered';
    }
    // A rejected access token is dropped so the next try fetches a fresh one.
    if (res.status === 401) this.accessToken = undefined;
    throw new Error(`FCM answered ${res.status} ${body.error?.status ?? ''} ${codes.join(',')}`.trim());
  }

  private async token(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now() + 60_000) return this.accessToken.value;
    const now = Math.floor(Date.now() / 1000);
    const key = await importPKCS8(this.options.privateKey.replace(/\\n/g, '\n'), 'RS256');
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(this.options.clientEmail)
      .setAudience(this.options.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    const res = await fetch(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`OAuth token endpoint answered ${res.status}`);
    const { access_token, expires_in } = (await res.json()) as { access_token: string; expires_in: number };
    this.accessToken = { value: access_token, expiresAt: Date.now() + expires_in * 1000 };
    return access_token;
  }
}
