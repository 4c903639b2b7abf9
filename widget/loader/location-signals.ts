// What in the address bar makes the portal needed at once, as the loader reads it. The loader
// imports nothing of the element (a module both imported would land in the loader, and the
// element's chunks would import the loader's stable URL back), so these are the element's
// names, written again: test/widget/portal-loader.test.ts holds them to the element's own
// (`linkTokenParameter`, `hasSetupReturnInLocation`).

/** The fragment parameter of a mail link's token (link-token.ts). */
export const tokenFragmentParameter = 'conroo-portal-token';

/** The query parameter Stripe adds to the return URL of a payment-method redirect. */
export const setupReturnParameter = 'setup_intent';

/** Whether the address bar holds a mail link's token or a redirect's result. */
export function portalWantedByLocation(): boolean {
  return (
    new URLSearchParams(location.hash.replace(/^#/, '')).has(tokenFragmentParameter) ||
    new URLSearchParams(location.search).has(setupReturnParameter)
  );
}
