import type {PaymentMethodKind} from './payment-form.js';

/** Which Stripe.js the form used, to read the SetupIntent with after coming back. */
export interface StripeJsChoice {
  publishableKey: string;
  stripeJsUrl: string | null;
}

/**
 * The way back from a redirect (PayPal approval, 3-D Secure): Stripe (and the emulator) append
 * `setup_intent`, `setup_intent_client_secret` and `redirect_status` to the `return_url`.
 */
export interface SetupReturn {
  setupIntentId: string;
  /** Reads the SetupIntent's state with Stripe.js; only Stripe.js and the server see it. */
  clientSecret: string | null;
  /** Stripe's hint; the SetupIntent itself (`retrieveSetupIntent`) has the last word. */
  redirectStatus: 'succeeded' | 'failed';
  /** What the user had chosen before leaving, when known. */
  kind?: PaymentMethodKind;
  /** The Stripe.js the form used, when this browser remembers it. */
  stripe?: StripeJsChoice;
}

/** Non-secret state kept across the redirect: which portal left, with what, through which Stripe.js. */
interface PendingRedirect {
  mode: string;
  kind?: PaymentMethodKind;
  stripe?: StripeJsChoice;
}

const storageKey = 'conroo-portal-setup-redirect';
const returnParameters = ['setup_intent', 'setup_intent_client_secret', 'redirect_status'];

/** Remembers, before confirming, what the portal needs to resume. Never a secret or token. */
export function rememberPendingRedirect(pending: PendingRedirect) {
  try {
    sessionStorage.setItem(storageKey, JSON.stringify(pending));
  } catch {
    // Storage can be unavailable (sandboxed frames, privacy modes); the return still works.
  }
}

function readPendingRedirect(): PendingRedirect | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as unknown;
    return value && typeof value === 'object' ? (value as PendingRedirect) : null;
  } catch {
    return null;
  }
}

function forgetPendingRedirect() {
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // See rememberPendingRedirect.
  }
}

/** Whether the address bar carries a redirect's result that no portal has taken yet. */
export function hasSetupReturnInLocation(): boolean {
  return new URLSearchParams(location.search).has('setup_intent');
}

/**
 * Takes a redirect's result from the address bar and removes it at once (other query
 * parameters and the fragment stay), so the client secret lands in no history entry. Only the
 * portal whose mode left for the redirect takes it, unless `anyPortal` (no such portal here).
 */
export function takeSetupReturnFromLocation(
  mode: string,
  {anyPortal = false} = {},
): SetupReturn | null {
  const query = new URLSearchParams(location.search);
  const setupIntentId = query.get('setup_intent');
  if (!setupIntentId) {
    return null;
  }
  const redirectStatus = query.get('redirect_status') === 'succeeded' ? 'succeeded' : 'failed';
  const clientSecret = query.get('setup_intent_client_secret');
  const pending = readPendingRedirect();
  if (pending && pending.mode !== mode && !anyPortal) {
    return null;
  }
  for (const name of returnParameters) {
    query.delete(name);
  }
  const rest = query.toString();
  history.replaceState(
    history.state,
    '',
    `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`,
  );
  forgetPendingRedirect();
  const kind = pending?.kind === 'card' || pending?.kind === 'paypal' ? pending.kind : undefined;
  // Only checked for shape: the stand-in's origin is checked again when it is loaded.
  const stripe = typeof pending?.stripe?.publishableKey === 'string' ? pending.stripe : undefined;
  return {setupIntentId, clientSecret, redirectStatus, kind, stripe};
}

/** The page's URL to come back to after a redirect: as it is now, without fragment. */
export function currentReturnUrl(): string {
  const url = new URL(location.href);
  url.hash = '';
  return url.toString();
}

const handled = new WeakSet<SetupReturn>();

/** True the first time it is called for `setupReturn`, so a return is handled once. */
export function claimSetupReturn(setupReturn: SetupReturn): boolean {
  if (handled.has(setupReturn)) {
    return false;
  }
  handled.add(setupReturn);
  return true;
}
