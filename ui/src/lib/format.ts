// Pure presentation helpers: how codes, environments and search look to people. No OTP logic here.
import type { AccountView, Environment } from "./api";

/** Splits a code into groups people read at a glance: 3+3 for six digits, 4+4 for eight, 3+4 for seven. */
export function groupCode(code: string): string[] {
  const n = code.length;
  if (n <= 5) return [code];
  const first = Math.floor(n / 2);
  return [code.slice(0, first), code.slice(first)];
}

/** "1 2 3, 4 5 6": screen readers then read digit by digit with a pause between the groups. */
export function spokenCode(code: string): string {
  return groupCode(code)
    .map((g) => g.split("").join(" "))
    .join(", ");
}

export function environmentLabel(env: Environment): string {
  switch (env.kind) {
    case "live":
      return "LIVE";
    case "sandpit":
      return "SANDPIT";
    case "custom":
      return (env.name ?? "").trim();
    default:
      return "";
  }
}

/** Words for screen readers ("Live environment"), empty when the account has no environment. */
export function spokenEnvironment(env: Environment): string {
  switch (env.kind) {
    case "live":
      return "Live environment";
    case "sandpit":
      return "Sandpit environment";
    case "custom":
      return `${(env.name ?? "").trim()} environment`;
    default:
      return "";
  }
}

/** Every word typed must appear in the issuer, the account or the environment's name. */
export function matchesSearch(a: AccountView, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [a.issuer, a.account, environmentLabel(a.environment), a.environment.kind === "none" ? "" : a.environment.kind]
    .join(" ")
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

export function secondsLeft(validUntilMs: number | null, nowMs: number): number | null {
  if (validUntilMs === null) return null;
  return Math.max(0, Math.ceil((validUntilMs - nowMs) / 1000));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** One British style for every date and time in the app, whatever the locale: "5 Dec 2026, 12:50". */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${formatDay(ms)}, ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The day alone, same style: "5 Dec 2026". */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** "NHS Spine, alice, Live environment": which account, in words, with the environment spelt out. */
export function accountInWords(a: { issuer: string; account: string; environment: Environment }): string {
  const parts = [a.issuer.trim() || "Unnamed account"];
  if (a.account.trim()) parts.push(a.account.trim());
  const env = spokenEnvironment(a.environment);
  parts.push(env || "no environment");
  return parts.join(", ");
}

/** What the toast and the screen reader say after a copy: issuer, account and environment in words. */
export function copiedMessage(a: AccountView, clearAfter: number): string {
  const what = `Copied the code for ${accountInWords(a)}.`;
  return clearAfter > 0 ? `${what} The clipboard is cleared in ${clearAfter} s.` : what;
}
