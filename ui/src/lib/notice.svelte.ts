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

  /** Shows `text` for `ms` (longer when there is an Undo, so people have time to reach it). */
  show(text: string, options: NoticeOptions = {}): void {
    clearTimeout(this.timer);
    const { environment, undo, undoLabel = "Undo", ms } = options;
    this.current = { text, environment, undo, undoLabel: undo ? undoLabel : undefined, id: ++this.seq };
    this.timer = setTimeout(() => this.clear(), ms ?? (undo ? 15_000 : 8_000));
  }

  clear(): void {
    clearTimeout(this.timer);
    this.current = null;
  }
}

export const notices = new Notices();
