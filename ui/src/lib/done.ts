// Issue 16, items 4 and 6: the words of a confirmation ("Deleted NHS Spine, alice, Live environment.").
// (The edit form knows a duplicate refusal by its kind, "conflict", never by its words.)
import type { Environment } from "./api";
import { accountInWords } from "./format";

export type DoneAction = "added" | "saved" | "deleted" | "restored";

const VERBS: Record<DoneAction, (who: string) => string> = {
  added: (who) => `Added ${who}.`,
  saved: (who) => `Saved ${who}.`,
  deleted: (who) => `Moved ${who} to the trash.`,
  restored: (who) => `Restored ${who}.`,
};

/** "Moved NHS Spine, alice, Live environment to the trash." */
export function doneMessage(action: DoneAction, a: { issuer: string; account: string; environment: Environment }): string {
  return VERBS[action](accountInWords(a));
}

/** A counter typed into the edit form: a whole number from 0, or null when it is not one. */
export function parseCounter(text: string | number): number | null {
  const s = String(text).trim();
  if (!/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}
