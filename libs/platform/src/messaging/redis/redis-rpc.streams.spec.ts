import { isLostGroupError, parseAutoclaimReply, parseReadReply } from './redis-rpc.streams.js';

describe('Redis Streams replies of the RPC server', () => {
  it('reads the entries of every stream of an XREADGROUP reply, in order', () => {
    const reply = [
      [
        's:identity',
        [
          ['1-0', ['p', '{"a":1}']],
          ['2-0', ['x', 'y', 'p', '{"a":2}']],
        ],
      ],
      ['s:catalog', [['3-0', ['p', '{"a":3}']]]],
    ];
    expect(parseReadReply(reply)).toEqual([
      { stream: 's:identity', id: '1-0', raw: '{"a":1}' },
      { stream: 's:identity', id: '2-0', raw: '{"a":2}' },
      { stream: 's:catalog', id: '3-0', raw: '{"a":3}' },
    ]);
  });

  it('reads the same entries from the RESP3 shape of the reply (a map, flattened by ioredis)', () => {
    const reply = ['s:identity', [['1-0', ['p', '{"a":1}']]], 's:catalog', [['3-0', ['p', '{"a":3}']]]];
    expect(parseReadReply(reply)).toEqual([
      { stream: 's:identity', id: '1-0', raw: '{"a":1}' },
      { stream: 's:catalog', id: '3-0', raw: '{"a":3}' },
    ]);
  });

  it('reads nothing from a timed-out XREADGROUP, and keeps entries without a request so they get acknowledged', () => {
    expect(parseReadReply(null)).toEqual([]);
    expect(parseReadReply([['s', [['1-0', null], ['2-0', ['other', 'field']], 'junk']]])).toEqual([
      { stream: 's', id: '1-0' },
      { stream: 's', id: '2-0' },
    ]);
  });

  it('reads the claimed entries and the deleted ids of an XAUTOCLAIM reply (Redis 7 and 6.2 shapes)', () => {
    expect(parseAutoclaimReply('s', ['0-0', [['1-0', ['p', 'x']]], ['2-0']])).toEqual({
      entries: [{ stream: 's', id: '1-0', raw: 'x' }],
      deleted: ['2-0'],
    });
    expect(parseAutoclaimReply('s', ['0-0', [['1-0', null]]])).toEqual({
      entries: [{ stream: 's', id: '1-0' }],
      deleted: [],
    });
    expect(parseAutoclaimReply('s', null)).toEqual({ entries: [], deleted: [] });
  });

  it('recognizes the errors of a stream or group that Redis lost', () => {
    expect(isLostGroupError(new Error("NOGROUP No such key 's' or consumer group 'hosts'"))).toBe(true);
    expect(isLostGroupError(new Error('UNBLOCKED the stream key no longer exists'))).toBe(true);
    expect(isLostGroupError(new Error('Connection is closed.'))).toBe(false);
    expect(isLostGroupError('NOGROUP')).toBe(false);
  });
});
