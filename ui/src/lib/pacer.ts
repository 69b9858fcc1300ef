// The codes screen's only clock: one timeout at a time, aimed at the next whole second of the codes'
// own phase (so countdowns and the period boundary change together), and nothing at all while the
// window cannot be seen. When the window is shown again it calls `onShown` first (the codes may be
// several periods old) and then resumes. Plain TypeScript, no Svelte, so tests can drive it with fake
// timers and a fake document.

/** Whether the window can be seen, and a way to hear when that changes. */
export interface Visibility {
  visible(): boolean;
  /** Calls `cb` whenever visibility may have changed; returns the unsubscribe function. */
  subscribe(cb: () => void): () => void;
}

/** The webview's own answer: `document.visibilityState`, which WebKit sets to "hidden" when the
 * window is hidden (tray), minimised or covered, plus page show/hide and window focus as extra nudges. */
export function documentVisibility(doc: Document = document, win: Window = window): Visibility {
  return {
    visible: () => doc.visibilityState !== "hidden",
    subscribe(cb) {
      doc.addEventListener("visibilitychange", cb);
      win.addEventListener("pageshow", cb);
      win.addEventListener("pagehide", cb);
      win.addEventListener("focus", cb);
      return () => {
        doc.removeEventListener("visibilitychange", cb);
        win.removeEventListener("pageshow", cb);
        win.removeEventListener("pagehide", cb);
        win.removeEventListener("focus", cb);
      };
    },
  };
}

export interface PacerOptions {
  /** Called at most once per second while visible, with the current time. */
  onTick: (now: number) => void;
  /** Called at once when the window becomes visible again (and on start), before ticking resumes. */
  onShown: () => void;
  /** The instant ticks line up with (e.g. the next period boundary); null = whole seconds of the clock. */
  phase?: () => number | null;
  visibility: Visibility;
  clock?: () => number;
  /** Added to each wait so a tick lands just after the second turns, never just before. */
  slackMs?: number;
}

export class Pacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private wasVisible = false;
  private readonly clock: () => number;
  private readonly slack: number;

  constructor(private readonly o: PacerOptions) {
    this.clock = o.clock ?? (() => Date.now());
    this.slack = o.slackMs ?? 5;
  }

  /** Whether a timer is pending right now (tests and the benchmark check this is false while hidden). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    this.stop();
    this.running = true;
    this.unsubscribe = this.o.visibility.subscribe(() => this.visibilityChanged());
    this.wasVisible = this.o.visibility.visible();
    if (this.wasVisible) {
      this.o.onShown();
      this.arm();
    }
  }

  stop(): void {
    this.running = false;
    this.disarm();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Re-aims the next tick (after new codes moved the phase). */
  realign(): void {
    if (this.running && this.o.visibility.visible()) this.arm();
  }

  /** Milliseconds until the next tick: the next whole second counted from `phase`, plus slack. */
  delayFrom(now: number): number {
    const phase = this.o.phase?.() ?? 0;
    const into = (((now - phase) % 1000) + 1000) % 1000;
    return 1000 - into + this.slack;
  }

  private visibilityChanged(): void {
    if (!this.running) return;
    const visible = this.o.visibility.visible();
    if (visible === this.wasVisible) return;
    this.wasVisible = visible;
    if (visible) {
      this.o.onShown();
      this.arm();
    } else {
      this.disarm();
    }
  }

  private arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      if (!this.o.visibility.visible()) {
        // Hidden without an event (some window managers): stay quiet until shown again.
        this.wasVisible = false;
        return;
      }
      this.o.onTick(this.clock());
      if (this.timer === undefined) this.arm();
    }, this.delayFrom(this.clock()));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
