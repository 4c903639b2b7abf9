// The parts of the portal that load on demand. The build emits each as a chunk next to the
// entry (`dist/chunks/`), and `import()` resolves it relative to the entry's own URL, so it
// loads from wherever the page loaded the portal's script from (another origin, a CDN).
//
// The entry (`conroo-billing-portal.js`) holds what shows first: the root element, the login
// form and the API client. Everything else comes later:
// - „Prüfen Sie Ihr Postfach": while the login form is on screen;
// - the dashboard with its sections, the billing form and its rules: once a session is known
//   (while a link's token is exchanged, in parallel with the exchange);
// - the payment form (demo or Stripe's, and Stripe.js itself): when it opens;
// - each language but German: when the portal renders in it (see localization.ts).

/** A part of the portal (a chunk) could not be loaded, e.g. the connection dropped. */
export class PartLoadError extends Error {
  override readonly name = 'PartLoadError';

  constructor(
    readonly part: string,
    options?: {cause?: unknown},
  ) {
    super(`The portal's ${part} could not be loaded.`, options);
  }
}

/**
 * Loads a part once for every portal on the page; a failed load is forgotten, so that
 * „Erneut versuchen" tries again.
 */
export class LazyPart {
  private loading?: Promise<void>;
  private done = false;

  constructor(
    readonly name: string,
    /** Imports the part; replaceable in tests. */
    public importPart: () => Promise<unknown>,
  ) {}

  /** Whether the part is there (its elements are defined). */
  get loaded(): boolean {
    return this.done;
  }

  load(): Promise<void> {
    this.loading ??= this.importPart().then(
      () => {
        this.done = true;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw new PartLoadError(this.name, {cause: error});
      },
    );
    return this.loading;
  }
}

// Every `import()` of the portal is here, in the entry: the bundler then keeps what the entry
// and the chunks share (Lit, @lit/localize…) in the entry, which is always loaded already,
// instead of splitting it into common chunks the entry would have to import (more requests
// before the login form shows).

/** „Prüfen Sie Ihr Postfach": loads while the login form is filled in. */
export const checkMailPart = new LazyPart(
  'check-mail',
  () => import('./views/conroo-check-mail.js'),
);

/** `<conroo-dashboard>` and everything behind the login. */
export const dashboardPart = new LazyPart('dashboard', () => import('./views/conroo-dashboard.js'));

/** Stripe's Payment Element; Stripe.js itself comes from js.stripe.com only when it mounts. */
export const importStripePaymentForm = () => import('./payment-form/stripe-payment-form.js');
