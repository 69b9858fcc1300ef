// 14. Keys typed by hand: a whole authenticator link in the key field is read as a link (Rust says the
// same with SecretError::IsALink; this only decides which button to show while typing).
export function looksLikeLink(text: string): boolean {
  return /^\s*otpauth(-migration)?:\/\//i.test(text);
}
