// Preloaded (`node --import`) into every server the bench starts. The runner holds the write end of the
// child's stdin; when the runner dies for any reason (even SIGKILL) the pipe closes and the server shuts
// itself down instead of lingering. Costs one pipe handle; it does not touch the app.
const HARD_EXIT_MS = 5000;

function shutDown() {
  setTimeout(() => process.exit(0), HARD_EXIT_MS).unref();
  process.kill(process.pid, 'SIGTERM');
}

if (!process.stdin.isTTY) {
  process.stdin.on('end', shutDown);
  process.stdin.on('error', shutDown);
  process.stdin.resume();
}
