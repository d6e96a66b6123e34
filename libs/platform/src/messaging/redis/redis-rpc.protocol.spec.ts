import {
  callMetaOf,
  contextOfRpcPattern,
  deliveryAction,
  isStoredReplyWanted,
  lostRequestError,
  parseReply,
  parseRequest,
  replyChannel,
  requestStreamKey,
  type RpcRequestPacket,
  storedReplyKey,
  storedReplyTtlMs,
} from './redis-rpc.protocol.js';

const NOW = 1_000_000;
/** A request as RedisRpcClient sends it; `deadline: null` for a caller that set none. */
const request = (pattern: string, data: unknown = {}, deadline: number | null = NOW + 5000): RpcRequestPacket => ({
  v: 2,
  id: 'req-1',
  pattern,
  data: { meta: { correlationId: 'c', actor: null, deadline: deadline ?? undefined }, data },
  replyTo: 'caller',
  deadline: deadline ?? undefined,
  headers: {},
});

describe('Redis RPC protocol', () => {
  it('names one request stream per context, one reply channel per caller instance, one stored reply per request', () => {
    expect(requestStreamKey('ficus', 'identity')).toBe('ficus:rpc:requests:identity');
    expect(replyChannel('ficus', 'abc')).toBe('ficus:rpc:reply:abc');
    expect(storedReplyKey('ficus', 'req-1')).toBe('ficus:rpc:replied:req-1');
  });

  it('routes a pattern by its first segment, and only to a known context', () => {
    expect(contextOfRpcPattern('identity.get-user.v1')).toBe('identity');
    expect(contextOfRpcPattern('nobody.get-user.v1')).toBeUndefined();
    expect(contextOfRpcPattern('identity')).toBe('identity');
  });

  it("reads the caller's deadline and correlation headers from the call's meta", () => {
    const meta = { correlationId: 'c1', traceparent: 't1', actor: null, deadline: 42 };
    expect(callMetaOf({ meta, data: {} })).toEqual({
      deadline: 42,
      headers: { correlationId: 'c1', traceparent: 't1' },
    });
    expect(callMetaOf({ data: {} })).toEqual({ headers: {} });
    expect(callMetaOf(null)).toEqual({ headers: {} });
  });

  it('parses a request of this protocol version and rejects anything else', () => {
    const good = { v: 2, id: 'i', pattern: 'identity.x.v1', data: {}, replyTo: 'r', deadline: 1, headers: {} };
    expect(parseRequest(JSON.stringify(good))).toEqual(good);
    expect(parseRequest(JSON.stringify({ ...good, headers: undefined }))?.headers).toEqual({});
    expect(parseRequest(JSON.stringify({ ...good, v: 1 }))).toBeUndefined();
    expect(parseRequest(JSON.stringify({ ...good, deadline: 'soon' }))).toBeUndefined();
    expect(parseRequest(JSON.stringify({ pattern: 'identity.x.v1', data: {} }))).toBeUndefined();
    expect(parseRequest('not json')).toBeUndefined();
    expect(parseRequest('[1,2]')).toBeUndefined();
  });

  it('parses a reply only when it carries a packet id', () => {
    expect(parseReply('{"id":"i","response":1,"isDisposed":true}')).toEqual({ id: 'i', response: 1, isDisposed: true });
    expect(parseReply('{"response":1}')).toBeUndefined();
    expect(parseReply('nope')).toBeUndefined();
  });
});

describe('what a server does with a request it took', () => {
  const query = request('identity.get-user.v1');
  const keyed = request('identity.update-profile.v1', { name: 'A', idempotencyKey: 'k1' });
  const unkeyed = request('identity.update-profile.v1', { name: 'A' });

  it('runs every request on its first delivery, and drops it unrun once the deadline has passed', () => {
    for (const packet of [query, keyed, unkeyed]) {
      expect(deliveryAction(packet, false, NOW)).toBe('run');
      expect(deliveryAction(packet, false, NOW + 5000)).toBe('expired');
      expect(deliveryAction(packet, true, NOW + 6000)).toBe('expired');
    }
    expect(deliveryAction(request('identity.get-user.v1', {}, null), true, NOW)).toBe('run');
  });

  it('runs a re-delivered query again', () => {
    expect(deliveryAction(query, true, NOW)).toBe('run');
  });

  it('re-sends the stored reply of a re-delivered command with an idempotency key, or runs it again', () => {
    expect(deliveryAction(keyed, true, NOW)).toBe('replay');
  });

  it('refuses a re-delivered command without an idempotency key: it may have run already', () => {
    expect(deliveryAction(unkeyed, true, NOW)).toBe('refuse');
    expect(deliveryAction(request('identity.update-profile.v1', { idempotencyKey: 42 }), true, NOW)).toBe('refuse');
    // A plain string travels as a transport failure, which ContextClient reports as ContextUnavailable (503).
    expect(typeof lostRequestError(unkeyed)).toBe('string');
  });

  it('stores the replies of commands with an idempotency key only, until the deadline plus slack', () => {
    expect(isStoredReplyWanted(keyed)).toBe(true);
    expect(isStoredReplyWanted(unkeyed)).toBe(false);
    expect(isStoredReplyWanted(request('identity.get-user.v1', { idempotencyKey: 'k' }))).toBe(false);
    expect(storedReplyTtlMs(keyed, NOW)).toBe(6000);
    expect(storedReplyTtlMs(keyed, NOW + 10_000)).toBe(1000);
    expect(storedReplyTtlMs(request('identity.x.v1', {}, null), NOW)).toBe(60_000);
  });
});
