// "Say what happened": one visible confirmation at a time (after add, edit, delete, restore, mark used),
// with an Undo where the step can be undone. The banner (DoneBanner.svelte) shows it and announces it.
export interface Notice {
  text: string;
  undoLabel?: string;
  undo?: () => Promise<void> | void;
  id: number;
}

class Notices {
  current = $state<Notice | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  /** Shows `text` for `ms` (longer when there is an Undo, so people have time to reach it). */
  show(text: string, undo?: () => Promise<void> | void, undoLabel = "Undo", ms?: number): void {
    clearTimeout(this.timer);
    this.current = { text, undo, undoLabel: undo ? undoLabel : undefined, id: ++this.seq };
    this.timer = setTimeout(() => this.clear(), ms ?? (undo ? 12_000 : 6_000));
  }

  clear(): void {
    clearTimeout(this.timer);
    this.current = null;
  }
}

export const notices = new Notices();
