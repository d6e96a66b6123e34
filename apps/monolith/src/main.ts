import { enableCompileCache } from 'node:module';

// `npm start` (dist/apps/monolith/src/main.js): Node's on-disk compile cache first, so that the ~2,900
// modules the app loads are compiled from cached code after the first start (a static import would load
// them before this line runs; hence the dynamic import of the real entry, serve.ts).
enableCompileCache();
await import('./serve.js');
