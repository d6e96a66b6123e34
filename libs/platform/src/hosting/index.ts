export * from './context-host.js';
export * from './ping.controller.js';
