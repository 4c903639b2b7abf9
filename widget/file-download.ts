// Downloads of the portal's files (invoice PDFs, a year's ZIP) through `fetch`, so that a failed
// download (session ended, Stripe unavailable) is told in the portal instead of replacing the
// host page with the server's JSON error.

/** A click that the browser should handle itself (new tab, save as, …) rather than the portal. */
export function isPlainClick(event: MouseEvent): boolean {
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}

/**
 * Hands a fetched file to the browser's download under `filename`, through a temporary link in
 * `container` (a shadow root keeps it out of the host page's DOM).
 */
export function saveFile(blob: Blob, filename: string, container: Node) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  container.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoking at once can cancel the download in some browsers; a minute is plenty.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
