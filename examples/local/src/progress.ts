/** Shows progress: a bar redrawn in place on a terminal, a line every few seconds otherwise. */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stdout) {
  const tty = stream.isTTY === true;
  let lastLine = 0;
  let finished = false;
  const started = Date.now();
  return {
    update(done: number, detail: string) {
      const elapsed = (Date.now() - started) / 1000;
      const share = total === 0 ? 1 : Math.min(1, done / total);
      if (tty) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${done}/${total}  ${elapsed.toFixed(1)}s  ${detail}   `);
      } else if (!finished && (Date.now() - lastLine >= 2000 || done >= total)) {
        lastLine = Date.now();
        finished = done >= total;
        stream.write(`progress: ${done}/${total} messages settled (${(share * 100).toFixed(0)}%) after ${elapsed.toFixed(1)}s; ${detail}\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
