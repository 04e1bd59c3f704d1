import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for long work; `update(done, total)` may change the total as it grows.
 * Falls back to nothing on a non-TTY (CI logs) apart from the final line the caller prints.
 */
export function progressBar(unit: string): { update(done: number, total: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
    stream: process.stderr, hideCursor: true, noTTYOutput: false,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
