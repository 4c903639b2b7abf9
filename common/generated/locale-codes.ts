// Do not modify this file by hand!
// Re-generate this file by running lit-localize.

/**
 * The locale code that templates in this source code are written in.
 */
export const sourceLocale = `de`;

/**
 * The other locale codes that this application is localized into. Sorted
 * lexicographically.
 */
export const targetLocales = [
  `bg`,
  `cs`,
  `en`,
  `hu`,
  `lt`,
  `pl`,
  `ro`,
  `ru`,
  `tr`,
  `uk`,
] as const;

/**
 * All valid project locale codes. Sorted lexicographically.
 */
export const allLocales = [
  `bg`,
  `cs`,
  `de`,
  `en`,
  `hu`,
  `lt`,
  `pl`,
  `ro`,
  `ru`,
  `tr`,
  `uk`,
] as const;
