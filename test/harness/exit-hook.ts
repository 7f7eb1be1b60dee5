// Labs and servers stop even when a test file does not get to its afterAll: the worker exits (an
// uncaught error, a timeout that ends the process) or is told to stop (Ctrl-C, SIGTERM from the
// runner). Each harness registers a synchronous clean-up and removes it when it cleaned up itself.
const cleanups = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // best effort: the next one still runs
    }
  }
}

/** Run `cleanup` (synchronous) when the process exits or is interrupted; call the returned function once it is no longer needed. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(code);
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
