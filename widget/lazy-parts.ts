// The parts of the portal that load on demand. The build emits each as a chunk next to the
// element's chunk (`dist/chunks/`), and `import()` resolves it relative to that chunk's own URL, so it
// loads from wherever the page loaded the portal's script from (another origin, a CDN).
//
// The element's chunk (`chunks/portal-…`, which the loader `conroo-billing-portal.js` loads on
// first use) holds what shows first: the root element, the login form and the API client.
// Everything else comes later:
// - „Prüfen Sie Ihr Postfach": while the login form is on screen;
// - the dashboard with its sections, the billing form and its rules: once a session is known
//   (while a link's token is exchanged, in parallel with the exchange);
// - the payment form (demo or Stripe's, and Stripe.js itself): when it opens
//   (payment-form/load-payment-form.ts, inside the dashboard's chunk);
// - each language but German: when the portal renders in it (see localization.ts).
//
// Only the root element and its views (in the element's chunk) import this module: a part that imported
// it back would put the part and everything between in one import circle.
import {LazyPart} from './lazy-part.js';
import type {PortalView} from './session/session-flow.js';

export {LazyPart, PartLoadError} from './lazy-part.js';

/** „Prüfen Sie Ihr Postfach": loads while the login form is filled in. */
export const checkMailPart = new LazyPart(
  'check-mail',
  () => import('./views/conroo-check-mail.js'),
);

/** `<conroo-dashboard>` and everything behind the login. */
export const dashboardPart = new LazyPart('dashboard', () => import('./views/conroo-dashboard.js'));

/** The part (a chunk) a view's element comes from, if it is not in the element's own chunk. */
export function partForView(view: PortalView): LazyPart | undefined {
  return view === 'dashboard' || view === 'signing-in'
    ? dashboardPart
    : view === 'check-mail'
      ? checkMailPart
      : undefined;
}

/** The part a view's element comes from, while it is not there yet. */
export function missingPart(view: PortalView): LazyPart | undefined {
  const part = view === 'signing-in' ? undefined : partForView(view);
  return part && !part.loaded ? part : undefined;
}
