// Builds the monolith when dist is missing or older than any source file, so `npm start` and
// `npm run cli` always run current code without paying for a build on every start.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = 'dist/apps/monolith/src/main.js';
// tsc's incremental build rewrites only changed files, so a stamp records when the last build finished.
const STAMP = 'dist/.build-stamp';
const SOURCES = ['apps', 'libs', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'test') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const built = existsSync(ENTRY) && existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const newestSource = Math.max(...SOURCES.map(newestMtime));
if (built < newestSource) {
  process.stderr.write(built ? 'Sources changed; rebuilding…\n' : 'Building Ficus (first run)…\n');
  execSync('npx nest build monolith', { stdio: 'inherit' });
  writeFileSync(STAMP, new Date().toISOString());
}
