/**
 * Waits until an instant, with one timer per instant however many wait for it: each timer that
 * fires wakes the invocation, and a window's probes share five instants.
 */
export function startClock(): (at: number) => Promise<void> {
  const timers = new Map<number, Promise<void>>();
  return (at) => {
    const ms = at - Date.now();
    if (ms <= 0) return Promise.resolve();
    let timer = timers.get(at);
    if (!timer) {
      timer = new Promise((resolve) => setTimeout(resolve, ms));
      timers.set(at, timer);
    }
    return timer;
  };
}
