/** The fragment parameter that carries the magic-link token (`PORTAL_URL#conroo-portal-token=…`). */
export const linkTokenParameter = 'conroo-portal-token';

/**
 * Reads the magic-link token from the address bar and removes it at once (path, query and any
 * other fragment parameters stay), so it lands in no history entry, bookmark or screenshot.
 */
export function takeLinkTokenFromLocation(): string | null {
  const fragment = location.hash.replace(/^#/, '');
  if (!fragment.includes(linkTokenParameter)) {
    return null;
  }
  const parameters = new URLSearchParams(fragment);
  const token = parameters.get(linkTokenParameter);
  parameters.delete(linkTokenParameter);
  const rest = parameters.toString();
  history.replaceState(
    history.state,
    '',
    `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
  );
  return token?.trim() || null;
}
