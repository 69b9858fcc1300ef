// The forms never decide "is this the same login as one already stored?" themselves: they ask the
// core's rule (`Vault::conflicts`, the Tauri command `check_conflicts`) and show its answer.
import { api, type ConflictsView, type Environment } from "./api";

/** What a form asks about: the names and environment as typed, and the account being edited, if any. */
export interface ConflictQuestion {
  issuer: string;
  account: string;
  environment: Environment;
  /** The account being edited: it is not its own twin. */
  except?: string | null;
}

/** The answer and the question it answers (so a form can tell whether it is about what is typed now). */
export interface ConflictAnswer {
  key: string;
  view: ConflictsView;
}

/** Identifies a question exactly as typed (no folding: which names match is the core's business). */
export function questionKey(q: ConflictQuestion): string {
  return JSON.stringify([q.issuer, q.account, q.environment.kind, q.environment.name ?? null, q.except ?? null]);
}

/**
 * Asks `check_conflicts` for one form, debounced while the person types. Only the newest question's
 * answer is delivered: an earlier, slower answer never overwrites a newer one. A failed question
 * delivers `null` (saving asks the core again anyway).
 */
export class ConflictAsker {
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastKey: string | null = null;

  constructor(
    private readonly onanswer: (answer: ConflictAnswer | null) => void,
    private readonly delayMs = 150,
  ) {}

  /** Asks after a short pause; asking the same question again changes nothing. */
  ask(q: ConflictQuestion): void {
    const key = questionKey(q);
    if (key === this.lastKey) return;
    this.lastKey = key;
    clearTimeout(this.timer);
    const n = ++this.seq;
    this.timer = setTimeout(() => void this.send(q, key, n), this.delayMs);
  }

  /** Asks straight away (before saving) and returns the answer, which is also delivered. */
  now(q: ConflictQuestion): Promise<ConflictsView | null> {
    clearTimeout(this.timer);
    const key = questionKey(q);
    this.lastKey = key;
    return this.send(q, key, ++this.seq);
  }

  /** Stops: a pending question is not sent and an outstanding answer is dropped. */
  dispose(): void {
    clearTimeout(this.timer);
    this.seq++;
    this.lastKey = null;
  }

  private async send(q: ConflictQuestion, key: string, n: number): Promise<ConflictsView | null> {
    let view: ConflictsView | null = null;
    try {
      view = await api.checkConflicts(q.issuer, q.account, q.environment, q.except ?? null);
    } catch {
      view = null;
    }
    if (n === this.seq) this.onanswer(view ? { key, view } : null);
    return view;
  }
}
