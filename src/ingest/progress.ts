import cliProgress from "cli-progress";

/**
 * How far an import is. It writes the rows as it reads them; once a bad row refuses the file
 * (without skipInvalid), it only checks the rest.
 */
export interface ImportProgress {
  phase: "writing" | "checking";
  bytesRead: number;
  totalBytes: number;
}

export interface ProgressBar {
  update(progress: ImportProgress): void;
  stop(): void;
}

const MEGABYTE = 1024 * 1024;

/** A bar on stderr, or undefined when stderr is not a terminal (a pipe or a log file gets no bar). */
export function progressBarOnStderr(): ProgressBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{phase} [{bar}] {percentage}% | {read} / {size} MB | {eta_formatted} left",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let currentPhase: ImportProgress["phase"] | undefined;
  return {
    update({ phase, bytesRead, totalBytes }) {
      const payload = { phase: phase.padEnd(8), read: toMegabytes(bytesRead), size: toMegabytes(totalBytes) };
      if (phase === currentPhase) {
        bar.update(bytesRead, payload);
        return;
      }
      // Each phase gets its own line, so its estimate of the time left starts afresh.
      if (currentPhase !== undefined) bar.stop();
      bar.start(totalBytes, bytesRead, payload);
      currentPhase = phase;
    },
    stop() {
      if (currentPhase !== undefined) bar.stop();
    },
  };
}

function toMegabytes(bytes: number): string {
  return (bytes / MEGABYTE).toFixed(1);
}
