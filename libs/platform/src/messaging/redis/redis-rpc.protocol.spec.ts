import {
  callMetaOf,
  contextOfRpcPattern,
  parseReply,
  parseRequest,
  replyChannel,
  requestQueueKey,
} from './redis-rpc.protocol.js';

describe('Redis RPC protocol', () => {
  it('names one request list per context and one reply channel per caller instance', () => {
    expect(requestQueueKey('ficus', 'identity')).toBe('ficus:rpc:identity');
    expect(replyChannel('ficus', 'abc')).toBe('ficus:rpc:reply:abc');
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
    const good = { v: 1, id: 'i', pattern: 'identity.x.v1', data: {}, replyTo: 'r', deadline: 1, headers: {} };
    expect(parseRequest(JSON.stringify(good))).toEqual(good);
    expect(parseRequest(JSON.stringify({ ...good, headers: undefined }))?.headers).toEqual({});
    expect(parseRequest(JSON.stringify({ ...good, v: 2 }))).toBeUndefined();
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
