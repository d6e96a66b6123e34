/**
 * A one-line progress bar on stderr (stdout stays clean for what the command prints). On a terminal it
 * redraws in place; otherwise it writes a line per 10 %, so logs of CI runs stay readable.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const now = Date.now();
    if (this.out.isTTY) {
      if (done < this.total && now - this.lastDraw < 80) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(done)}\x1b[K`);
      return;
    }
    const decile = Math.floor((done / Math.max(this.total, 1)) * 10);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.out.write(`${this.line(done)}\n`);
  }

  finish(done = this.total): void {
    this.lastDraw = 0;
    this.update(done);
    if (this.out.isTTY) this.out.write('\n');
  }

  private line(done: number): string {
    const width = 30;
    const ratio = this.total ? Math.min(done / this.total, 1) : 1;
    const filled = Math.round(ratio * width);
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    return `${this.label} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${this.total} ${rate}/s`;
  }
}
