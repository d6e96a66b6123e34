export * from './redis-rpc.protocol.js';
export * from './redis-rpc.server.js';
export * from './redis-rpc.client.js';
