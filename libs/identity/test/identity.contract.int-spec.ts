import { type AuthSessionView, type CallMeta, IdentityPatterns, type UserView } from '@ficus/contracts';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { IdentityModule } from '../src/index.js';

let n = 0;
const email = () => `contract.${process.pid}.${Date.now()}.${n++}@example.com`;
const meta = (actor: CallMeta['actor'] = null): CallMeta => ({ correlationId: `contract-${n++}`, actor });
const PASSWORD = 'correct horse battery';

describe.each(CONTRACT_MODES)('identity contract (%s)', (mode) => {
  let h: ContractHarness;
  beforeAll(async () => {
    h = await startContractHarness('identity', IdentityModule, mode);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  const register = (address = email()) =>
    h.client.send<AuthSessionView>(
      IdentityPatterns.registerUser,
      { email: address, password: PASSWORD, name: 'Ada' },
      meta(),
    );

  it('registers, and the session carries plain JSON (ISO dates, no class instances)', async () => {
    const session = await register();
    expect(session.user.roles).toEqual(['customer']);
    expect(typeof session.user.createdAt).toBe('string');
    expect(Object.getPrototypeOf(session)).toBe(Object.prototype);
  });

  it('fails with EMAIL_TAKEN (409) for a duplicate e-mail', async () => {
    const address = email();
    await register(address);
    expect(await failure(register(address))).toMatchObject({ code: 'EMAIL_TAKEN', status: 409, kind: 'conflict' });
  });

  it('fails with VALIDATION_FAILED and per-field errors for a bad payload', async () => {
    const body = await failure(
      h.client.send(IdentityPatterns.registerUser, { email: 'x', password: 'short', name: 'A', extra: 1 }, meta()),
    );
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toContain('extra');
  });

  it('fails with VALIDATION_FAILED when call metadata is missing', async () => {
    const body = await failure(h.client.send(IdentityPatterns.getUser, { userId: 'x' }, undefined as never));
    expect(body.code).toBe('VALIDATION_FAILED');
  });

  it('logs in, reads the user and refuses a wrong password alike for unknown e-mails', async () => {
    const address = email();
    const { user } = await register(address);
    const session = await h.client.send<AuthSessionView>(
      IdentityPatterns.login,
      { email: address, password: PASSWORD },
      meta(),
    );
    expect(session.user.id).toBe(user.id);
    const fetched = await h.client.send<UserView>(IdentityPatterns.getUser, { userId: user.id }, meta());
    expect(fetched).toEqual(user);
    const wrong = await failure(
      h.client.send(IdentityPatterns.login, { email: address, password: 'nope nope nope' }, meta()),
    );
    const unknown = await failure(
      h.client.send(IdentityPatterns.login, { email: email(), password: PASSWORD }, meta()),
    );
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
  });

  it('fails with USER_NOT_FOUND (404) for an unknown user id', async () => {
    const body = await failure(
      h.client.send(IdentityPatterns.getUser, { userId: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10' }, meta()),
    );
    expect(body).toMatchObject({ code: 'USER_NOT_FOUND', status: 404 });
  });

  it('rotates refresh tokens and revokes the family on reuse', async () => {
    const session = await register();
    const next = await h.client.send<AuthSessionView>(
      IdentityPatterns.refreshSession,
      { refreshToken: session.refreshToken },
      meta(),
    );
    expect(next.refreshToken).not.toBe(session.refreshToken);
    const reuse = await failure(
      h.client.send(IdentityPatterns.refreshSession, { refreshToken: session.refreshToken }, meta()),
    );
    expect(reuse.code).toBe('INVALID_REFRESH_TOKEN');
    const victim = await failure(
      h.client.send(IdentityPatterns.refreshSession, { refreshToken: next.refreshToken }, meta()),
    );
    expect(victim.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('answers logout with nothing, and lets only the user edit their profile', async () => {
    const session = await register();
    await expect(
      h.client.send(IdentityPatterns.logout, { refreshToken: session.refreshToken }, meta()),
    ).resolves.toBeNull();
    const self = { userId: session.user.id, roles: ['customer'] };
    const renamed = await h.client.send<UserView>(
      IdentityPatterns.updateProfile,
      { userId: self.userId, name: 'Ada K' },
      meta(self),
    );
    expect(renamed.name).toBe('Ada K');
    const other = await failure(
      h.client.send(
        IdentityPatterns.updateProfile,
        { userId: self.userId, name: 'Evil' },
        meta({ userId: 'someone', roles: [] }),
      ),
    );
    expect(other.code).toBe('USER_NOT_FOUND');
  });

  it('grants admin idempotently', async () => {
    const address = email();
    await register(address);
    const once = await h.client.send<UserView>(IdentityPatterns.grantAdmin, { email: address }, meta());
    const twice = await h.client.send<UserView>(IdentityPatterns.grantAdmin, { email: address.toUpperCase() }, meta());
    expect(once.roles).toEqual(['customer', 'admin']);
    expect(twice).toEqual(once);
  });
});
