// Keeps the shown codes right: fetches them from Rust, refreshes exactly at the next period boundary,
// and flips to the already-known next code at the boundary so nothing flickers. Time moves through a
// `Pacer`: one tick per second, lined up with the boundary, and no timer at all while the window is
// hidden; when it is shown again the codes are fetched at once (they may be periods old).
import type { CodesSnapshot, CodeView } from "./api";
import { documentVisibility, Pacer, type Visibility } from "./pacer";

/** Rust sends a code's `next` only in the last 5 seconds of its period (security review #31): the
 *  codes are fetched once more when that window opens, so the next code can be shown ("next 123 456",
 *  under 5 s left) and flipped to at the boundary. */
export const NEXT_CODE_LEAD_MS = 4_500;

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
  private inflight = false;
  /** Codes that came with the start-up answer: the first "shown" needs no fetch. */
  private primed = false;
  private nextBoundary: number | null = null;
  /** The boundary whose last seconds were already fetched for the next codes. */
  private fetchedNextFor: number | null = null;
  readonly pacer: Pacer;

  constructor(
    private fetchCodes: () => Promise<CodesSnapshot>,
    private clock: () => number = () => Date.now(),
    visibility: Visibility = documentVisibility(),
  ) {
    this.pacer = new Pacer({
      visibility,
      clock,
      phase: () => this.nextBoundary,
      onShown: () => {
        if (this.primed) this.primed = false;
        else void this.refresh();
      },
      onTick: (now) => {
        this.now = now;
        this.refreshIfDue();
      },
    });
  }

  async refresh(): Promise<void> {
    if (this.inflight) return;
    this.inflight = true;
    try {
      this.apply(await this.fetchCodes());
    } catch (e) {
      this.error = String(e);
    } finally {
      this.inflight = false;
    }
  }

  private apply(snap: CodesSnapshot): void {
    const byId: Record<string, CodeView> = {};
    for (const c of snap.codes) byId[c.id] = c;
    this.codes = byId;
    this.error = null;
    const boundaries = snap.codes.map((c) => c.validUntilMs).filter((v): v is number => v !== null);
    this.nextBoundary = boundaries.length ? Math.min(...boundaries) : null;
    this.now = this.clock();
    this.pacer.realign();
  }

  /** Fetches the codes (when the window is visible) and ticks once per second until `stop`. Codes
   * that arrived with the start-up answer are shown at once, without a second fetch. */
  start(first?: CodesSnapshot | null): void {
    if (first) {
      this.apply(first);
      this.primed = true;
    }
    this.pacer.start();
    this.primed = false;
  }

  stop(): void {
    this.pacer.stop();
  }

  /** Refreshes once the current codes have expired, and once in a period's last seconds when the
   *  codes that expire then came without their next code. */
  refreshIfDue(): void {
    const boundary = this.nextBoundary;
    if (boundary === null) return;
    const now = this.clock();
    if (now >= boundary) return void this.refresh();
    if (now >= boundary - NEXT_CODE_LEAD_MS && this.fetchedNextFor !== boundary) {
      const missing = Object.values(this.codes).some((c) => c.validUntilMs === boundary && c.next === null);
      if (missing) {
        this.fetchedNextFor = boundary;
        void this.refresh();
      }
    }
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
