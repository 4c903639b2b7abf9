/**
 * One plain e-mail address, normalized for look-ups: trimmed, NFKC, lower-cased. Anything that
 * could smuggle a second recipient or a header (a second `@`, commas, quotes, spaces, control
 * characters, CR/LF, angle brackets) is refused rather than cleaned.
 */
const PLAIN_ADDRESS =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;

export function normalizeEmail(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 320) return null;
  const email = input.trim().normalize('NFKC').toLowerCase();
  if (email.length > 254 || !PLAIN_ADDRESS.test(email)) return null;
  const [local] = email.split('@');
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || email.includes('..'))
    return null;
  return email;
}

/** `j***@example.com`: enough to tell lines apart in a log, never the whole address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
