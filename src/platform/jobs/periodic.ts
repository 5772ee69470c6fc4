/**
 * A task the server runs again and again in its own process (sealing audit chains, draining the
 * matching queue, computing name keys): one run at a time, the next one `intervalMs` after the last
 * ended, so a slow run never overlaps itself. The work itself lives in PostgreSQL (queues, pending
 * tables), so several processes may run the same task, a crash loses nothing, and stopping waits for
 * the run under way to end.
 */
export type PeriodicTask = { stop(): Promise<void> };

export function startPeriodicTask(run: () => Promise<void>, options: { intervalMs: number; onError?: (error: unknown) => void }): PeriodicTask {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await run();
      } catch (error) {
        options.onError?.(error);
      }
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
