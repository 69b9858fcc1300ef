// The clock-skew state the codes screen and Settings share: the last status from Rust, a check in
// flight, and whether the person dismissed the banner for the offset shown. Measuring, judging and
// correcting happen in Rust (tessera_core::clock); this only holds what came back.
import { api, errorMessage, type ClockCheck, type ClockStatus } from "./api";

/** "47 s", "5.4 s", "3 min 5 s": an offset's size, for a headline. */
export function formatOffsetSize(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** "+47 s", "−3.2 s": the correction applied to codes. */
export function formatSignedOffset(ms: number): string {
  return `${ms < 0 ? "−" : "+"}${formatOffsetSize(ms)}`;
}

/** "Your computer's clock is 47 s behind". */
export function offsetHeadline(ms: number): string {
  return `Your computer's clock is ${formatOffsetSize(ms)} ${ms > 0 ? "behind" : "ahead"}`;
}

export class ClockWatch {
  status = $state<ClockStatus | null>(null);
  lastCheck = $state<ClockCheck | null>(null);
  checking = $state(false);
  error = $state<string | null>(null);
  private dismissedOffsetMs = $state<number | null>(null);
  private checkedThisUnlock = false;

  /** The banner: the offset needs attention, nothing corrects it yet, and it was not dismissed. */
  get banner() {
    const a = this.status?.assessment;
    if (!a || !a.needsAttention || this.status?.correction) return null;
    if (this.dismissedOffsetMs === a.offsetMs) return null;
    return a;
  }

  get correction() {
    return this.status?.correction ?? null;
  }

  async load(): Promise<void> {
    try {
      this.status = await api.clockStatus();
    } catch {
      // Nothing to show without a status; the codes still work.
    }
  }

  /** Runs the network check (Rust does it off the UI thread; this only awaits the answer). */
  async check(): Promise<ClockCheck | null> {
    if (this.checking) return null;
    this.checking = true;
    this.error = null;
    try {
      const c = await api.checkClock();
      this.lastCheck = c;
      this.status = c.status;
      return c;
    } catch (e) {
      this.error = errorMessage(e);
      return null;
    } finally {
      this.checking = false;
    }
  }

  /** Once per unlock: the saved status at once, then a network check in the background. */
  afterUnlock(): void {
    if (this.checkedThisUnlock) return;
    this.checkedThisUnlock = true;
    void this.load().then(() => this.check());
  }

  locked(): void {
    this.checkedThisUnlock = false;
  }

  async setCorrection(enabled: boolean): Promise<void> {
    this.error = null;
    try {
      this.status = await api.setClockCorrection(enabled);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  async apply(offsetMs: number, source: string): Promise<void> {
    this.error = null;
    try {
      this.status = await api.applyClockOffset(offsetMs, source);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  dismiss(): void {
    this.dismissedOffsetMs = this.status?.assessment?.offsetMs ?? null;
  }

  reset(): void {
    this.status = null;
    this.lastCheck = null;
    this.checking = false;
    this.error = null;
    this.dismissedOffsetMs = null;
    this.checkedThisUnlock = false;
  }
}

export const clockWatch = new ClockWatch();
