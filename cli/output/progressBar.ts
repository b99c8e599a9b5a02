import type { ImportProgress } from '../../analyzers/importers/types';

/** A one-line progress bar on stderr, redrawn in place; only on a TTY. */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY);
  }

  update(p: ImportProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 80 && p.phase === 'importing') return;
    this.lastDraw = now;
    const width = 28;
    const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
    const filled = Math.round(frac * width);
    const secs = (now - this.started) / 1000;
    const mbs = secs > 0 ? p.bytesDone / 1e6 / secs : 0;
    const phase = p.phase === 'finishing' ? ' finishing' : '';
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  files ${p.filesDone}/${p.filesTotal}  records ${p.records.toLocaleString('en-US')}  rejected ${p.rejected}  ${mbs.toFixed(1)} MB/s${phase}`;
    const cols = this.stream.columns ?? 120;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length))}\x1b[K`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
