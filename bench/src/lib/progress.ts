// One progress line while the bench runs, on stderr, so stdout holds only the results.
// On a terminal the line is rewritten in place; otherwise the latest state is
// printed every few seconds, and on every change of scenario.

export interface Progress {
  /** Starts the next scenario. */
  step(name: string): void;
  /** Updates the detail of the current scenario. */
  update(detail: string): void;
  /** A line that stays (warnings, summaries of repeats). */
  note(text: string): void;
  done(): void;
  elapsedSeconds(): number;
}

export function createProgress({
  totalSteps,
  stream = process.stderr,
  everyMs = 3000,
}: {
  totalSteps: number;
  stream?: NodeJS.WriteStream;
  everyMs?: number;
}): Progress {
  const started = Date.now();
  const tty = Boolean(stream.isTTY);
  let step = 0;
  let title = "";
  let current = "";
  let printed = "";

  const clock = () => {
    const s = Math.round((Date.now() - started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const print = () => {
    if (current === printed) return;
    printed = current;
    if (tty) stream.write(`\r\x1b[2K${current}`);
    else stream.write(`${current}\n`);
  };
  const timer = setInterval(print, everyMs);
  timer.unref();
  const set = (detail: string, now: boolean) => {
    current = `[bench ${clock()}] ${step}/${totalSteps} ${title}${detail ? `: ${detail}` : ""}`;
    if (now || tty) print();
  };

  return {
    step(name) {
      step += 1;
      title = name;
      set("", true);
    },
    update(detail) {
      set(detail, false);
    },
    note(text) {
      if (tty) stream.write("\r\x1b[2K");
      stream.write(`[bench ${clock()}] ${text}\n`);
      if (tty) stream.write(current);
    },
    done() {
      clearInterval(timer);
      if (tty) stream.write("\r\x1b[2K");
      stream.write(`[bench ${clock()}] done\n`);
    },
    elapsedSeconds: () => (Date.now() - started) / 1000,
  };
}
