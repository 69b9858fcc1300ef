// 15. Errors reach people as sentences: a capital first letter, a full stop, and never a library's own
// words ("SS error: result not returned from SS API", "os error 2", "invalid type: …").

/** Known library jargon and the plain sentence to show instead. The first match wins. */
const JARGON: [RegExp, string][] = [
  [/\bSS error\b|secret ?service|org\.freedesktop\.secrets|\bdbus\b|keyring/i,
    "The system keychain did not answer. Unlock your login keyring (or sign out and in again) and try again."],
  [/\bos error 2\b|no such file or directory/i, "That file or folder does not exist. Check the name and try again."],
  [/\bos error 13\b|permission denied/i, "Tessera is not allowed to use that file or folder. Choose another place."],
  [/\bos error 28\b|no space left/i, "The disk is full. Free some space and try again."],
  [/\bos error 17\b|file exists/i, "A file with that name already exists. Choose another name."],
  [/invalid type:|missing field `|unknown variant `|expected value at line|EOF while parsing/i,
    "The app and its window disagreed about a request. Restart Tessera; if it happens again, report it."],
  [/\bunexpected call\b/i, "Something went wrong inside the app. Try again."],
];

export function plainSentence(raw: string): string {
  const text = raw.trim().replace(/^(error|Error|ERROR):\s*/, "");
  if (!text) return "Something went wrong. Try again.";
  for (const [re, plain] of JARGON) if (re.test(text)) return plain;
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
