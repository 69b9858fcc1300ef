// "Say what happened": one visible confirmation at a time (after add, edit, delete, restore, mark used),
// with an Undo where the step can be undone. The banner (DoneBanner.svelte) shows it and announces it.
import type { Environment } from "./api";

export interface Notice {
  text: string;
  /** Shown as the badge next to the words (the words already name it for screen readers). */
  environment?: Environment;
  undoLabel?: string;
  undo?: () => Promise<void> | void;
  id: number;
}

export interface NoticeOptions {
  environment?: Environment;
  undo?: () => Promise<void> | void;
  undoLabel?: string;
  ms?: number;
}

class Notices {
  current = $state<Notice | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  /**
   * Shows `text` until it is dismissed, replaced, or (only when `ms` is given) `ms` have passed. No timer by
   * default: the banner is in the page flow, and a banner vanishing by itself would move the rows under a
   * pointer that is about to click (copying the wrong account's code).
   */
  show(text: string, options: NoticeOptions = {}): void {
    clearTimeout(this.timer);
    const { environment, undo, undoLabel = "Undo", ms } = options;
    this.current = { text, environment, undo, undoLabel: undo ? undoLabel : undefined, id: ++this.seq };
    if (ms) this.timer = setTimeout(() => this.clear(), ms);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.current = null;
  }
}

export const notices = new Notices();
