/**
 * Timers owned by one node. A pending slow-response delay or keep-alive would otherwise keep
 * the process alive after stop(), which must leave nothing on the event loop.
 */
export class TimerSet {
  private readonly live = new Set<NodeJS.Timeout>();

  after(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.live.delete(timer);
      run();
    }, ms);
    this.live.add(timer);
    return timer;
  }

  every(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setInterval(run, ms);
    this.live.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.live.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.live) clearTimeout(timer);
    this.live.clear();
  }
}
