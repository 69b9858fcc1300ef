// Keeps the shown codes right: fetches them from Rust, refreshes exactly at the next period boundary
// (a timer aimed at the boundary, plus a 250 ms tick that catches timers the webview delayed, e.g. after
// sleep or a hidden window), and flips to the already-known next code at the boundary so nothing flickers.
import type { CodesSnapshot, CodeView } from "./api";

export interface ShownCode {
  current: string;
  next: string | null;
  secondsLeft: number | null;
  fraction: number;
  period: number | null;
  /** The previous key's code while a replaced key waits for confirmation. */
  previous?: string | null;
}

export class CodeBoard {
  codes = $state<Record<string, CodeView>>({});
  now = $state(Date.now());
  error = $state<string | null>(null);
  private boundaryTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private inflight = false;
  private nextBoundary: number | null = null;

  constructor(
    private fetchCodes: () => Promise<CodesSnapshot>,
    private clock: () => number = () => Date.now(),
  ) {}

  async refresh(): Promise<void> {
    if (this.inflight) return;
    this.inflight = true;
    try {
      const snap = await this.fetchCodes();
      const byId: Record<string, CodeView> = {};
      for (const c of snap.codes) byId[c.id] = c;
      this.codes = byId;
      this.error = null;
      const boundaries = snap.codes.map((c) => c.validUntilMs).filter((v): v is number => v !== null);
      this.nextBoundary = boundaries.length ? Math.min(...boundaries) : null;
      this.now = this.clock();
      this.aimAtBoundary();
    } catch (e) {
      this.error = String(e);
    } finally {
      this.inflight = false;
    }
  }

  start(): void {
    this.stop();
    void this.refresh();
    this.ticker = setInterval(() => {
      this.now = this.clock();
      this.refreshIfDue();
    }, 250);
  }

  stop(): void {
    clearInterval(this.ticker);
    clearTimeout(this.boundaryTimer);
  }

  /** Refreshes only once the current codes have expired (the boundary timer and the tick both ask). */
  refreshIfDue(): void {
    if (this.nextBoundary !== null && this.clock() >= this.nextBoundary) void this.refresh();
  }

  private aimAtBoundary(): void {
    clearTimeout(this.boundaryTimer);
    if (this.nextBoundary === null) return;
    const wait = Math.max(0, this.nextBoundary - this.clock()) + 15;
    this.boundaryTimer = setTimeout(() => this.refreshIfDue(), wait);
  }

  shown(id: string): ShownCode | null {
    const c = this.codes[id];
    if (!c) return null;
    if (c.validUntilMs === null || c.period === null) {
      return { current: c.current, next: null, secondsLeft: null, fraction: 1, period: null, previous: c.previous ?? undefined };
    }
    const periodMs = c.period * 1000;
    // Past the boundary but the refresh hasn't answered yet: the next code is already known.
    if (this.now >= c.validUntilMs && c.next !== null) {
      const until = c.validUntilMs + periodMs;
      return {
        current: c.next,
        next: null,
        secondsLeft: Math.max(0, Math.ceil((until - this.now) / 1000)),
        fraction: Math.max(0, Math.min(1, (until - this.now) / periodMs)),
        period: c.period,
        previous: c.previous ?? undefined,
      };
    }
    const left = Math.max(0, Math.ceil((c.validUntilMs - this.now) / 1000));
    return {
      current: c.current,
      next: left < 5 ? c.next : null,
      secondsLeft: left,
      fraction: Math.max(0, Math.min(1, (c.validUntilMs - this.now) / periodMs)),
      period: c.period,
      previous: c.previous ?? undefined,
    };
  }
}
