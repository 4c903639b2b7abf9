// Where a dashboard section's content starts, for bringing it into view: its first card.

/**
 * A section's first card: an overview card, a payment method, the billing details, an invoice
 * (a row of the table, a card in narrow containers), a driver; or the section's empty or error
 * state, which takes a card's place.
 */
const cardSelector = [
  '[part~="card"]',
  '[part~="item"]',
  '[part~="edit-form"]',
  '[part~="empty"]',
  '[part~="error"]',
  '[part~="table"] tbody tr',
].join(', ');

/** The first element below `root` (shadow roots included, in document order) matching `selector`. */
function firstDeep(root: ParentNode, selector: string): Element | undefined {
  for (const element of Array.from(root.querySelectorAll('*'))) {
    if (element.matches(selector)) {
      return element;
    }
    const inner = element.shadowRoot && firstDeep(element.shadowRoot, selector);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

/**
 * Where the section in `area` (the dashboard's content) starts: its first card (`complete`), or,
 * while it loads, its loading state.
 */
export function firstCard(area: Element): {end?: Element; complete: boolean} {
  const card = firstDeep(area, cardSelector);
  return card
    ? {end: card, complete: true}
    : {end: firstDeep(area, '[part~="loading"]'), complete: false};
}
