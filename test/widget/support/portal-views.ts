import {fixture, html} from '@open-wc/testing';
import {http, HttpResponse} from 'msw';
import {valuesFromCustomer} from '../../../widget/billing-details/billing-details-model.js';
import {saveDraft} from '../../../widget/billing-details/billing-draft.js';
import type {ConrooBillingPortal} from '../../../widget/conroo-billing-portal.js';
import type {PortalLocale} from '../../../widget/localization.js';
import type {ConrooLoginForm} from '../../../widget/views/conroo-login-form.js';
import type {LoginNotice} from '../../../widget/views/login-notice.js';
import {find, waitForElement} from './dom.js';
import {
  apiError,
  failNextBillingDetailsUpdate,
  fieldError,
  resetMockApi,
  setInvoices,
  setRecentInvoices,
  signInAs,
  startMockApi,
  worker,
} from './portal-api-mock.js';
import {customers, customersByEmail, fixtureInvoice, manyInvoices} from './portal-fixtures.js';
import {waitTimeout, waitUntil} from './wait-timeout.js';

// Every view of the portal, brought up the way a user gets there, in either language; for
// the accessibility tests, which check each of them the same way.

/** The portal's `lang`: German and English in most tests, any language it speaks in some. */
export type Language = PortalLocale;

export interface PortalView {
  /** What the user sees, e.g. „the login form with a field error". */
  name: string;
  /** Mounts the portal in a host page, brings it to the view and resolves once it has settled. */
  open: (lang: Language) => Promise<ConrooBillingPortal>;
}

const day = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);

/** Before each test: a logged-out server, no drafts or redirects remembered, a clean address. */
export function resetPortal() {
  resetMockApi();
  for (const storage of [localStorage, sessionStorage]) {
    for (const key of Object.keys(storage)) {
      if (key.startsWith('conroo')) storage.removeItem(key);
    }
  }
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** A request that stays pending until `releasePendingRequests()` (for loading states). */
let release: () => void = () => {};

export function releasePendingRequests() {
  release();
}

/** The hooks of a suite that walks these views: the mocked API, a clean portal per test. */
export function usePortalViews() {
  before(() => startMockApi());
  beforeEach(() => resetPortal());
  afterEach(() => {
    releasePendingRequests();
    resetPortal();
  });
}

function pendingUntilReleased() {
  const released = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    await released;
    // Answered here: falling through could reach a handler of the next test.
    return apiError(401, 'not_authenticated');
  };
}

/** The portal inside a host page's `<main>`, as the CONROO pages embed it. */
export async function mountInPage(lang: Language, mode: 'inline' | 'dialog' = 'inline') {
  const page = await fixture(
    mode === 'dialog'
      ? html`<div>
          <main><button type="button" id="opener">Hilfe und Kundenportal</button></main>
          <conroo-billing-portal lang=${lang} mode="dialog"></conroo-billing-portal>
        </div>`
      : html`<main><conroo-billing-portal lang=${lang}></conroo-billing-portal></main>`,
  );
  return page.querySelector('conroo-billing-portal')!;
}

/** Waits until nothing in the portal is loading or busy any more. */
export async function settled(portal: Element) {
  await waitUntil(
    () =>
      !find(portal, '[part~="loading"]') &&
      !find(portal, '[aria-busy="true"]') &&
      !find(portal, 'button:disabled'),
    'the portal to finish loading',
    {timeout: waitTimeout},
  );
}

/** The first `selector` inside the shadow root of the first `host` in the portal. */
function inside<E extends Element = HTMLElement>(portal: Element, host: string, selector: string) {
  const element = find(portal, host);
  return element ? find<E>(element, selector) : null;
}

async function waitInside(portal: Element, host: string, selector: string) {
  await waitUntil(() => inside(portal, host, selector), `expected “${selector}” in <${host}>`, {
    timeout: waitTimeout,
  });
}

async function signedIn(lang: Language, email: keyof typeof customersByEmail) {
  signInAs(email);
  const portal = await mountInPage(lang);
  await waitForElement(portal, '.content > h2');
  await settled(portal);
  return portal;
}

async function section(
  lang: Language,
  email: keyof typeof customersByEmail,
  name: 'overview' | 'payment-methods' | 'billing-shipping' | 'invoices',
) {
  const portal = await signedIn(lang, email);
  const entry = await waitForElement<HTMLButtonElement>(
    portal,
    `nav button[data-section="${name}"]`,
  );
  entry.click();
  await waitUntil(() => entry.getAttribute('aria-current') === 'page');
  await waitForElement(portal, `conroo-${name}`);
  await settled(portal);
  return portal;
}

async function loginForm(lang: Language) {
  const portal = await mountInPage(lang);
  await waitForElement(portal, 'input[type=email]');
  return portal;
}

async function submitEmail(portal: Element, email: string) {
  const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
  input.value = email;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  find<HTMLButtonElement>(portal, '[part~="submit"]')!.click();
}

async function withNotice(lang: Language, notice: LoginNotice) {
  const portal = await loginForm(lang);
  const form = find<ConrooLoginForm>(portal, 'conroo-login-form')!;
  form.notice = notice;
  await form.updateComplete;
  return portal;
}

async function checkMail(lang: Language) {
  const portal = await loginForm(lang);
  await submitEmail(portal, 'fahrer@example.com');
  await waitForElement(portal, 'conroo-check-mail');
  await settled(portal);
  return portal;
}

async function paymentMethodsWithForm(lang: Language) {
  const portal = await section(lang, 'fahrer@example.com', 'payment-methods');
  find<HTMLButtonElement>(portal, '[part~="add-button"]')!.click();
  await waitUntil(
    () => find(portal, '[part~="add-form"]')?.getAttribute('aria-busy') === 'false',
    'the demo payment form',
    {timeout: waitTimeout},
  );
  return portal;
}

async function billingForm(lang: Language, email: keyof typeof customersByEmail) {
  const portal = await section(lang, email, 'billing-shipping');
  find<HTMLButtonElement>(portal, '[part~="edit-button"]')!.click();
  await waitForElement(portal, 'conroo-billing-details-form');
  return portal;
}

async function saveBillingForm(portal: Element) {
  inside<HTMLButtonElement>(portal, 'conroo-billing-details-form', '[part~="submit"]')!.click();
  await settled(portal);
}

const notices: LoginNotice[] = [
  'link_invalid',
  'link_expired',
  'link_used',
  'link_failed',
  'session_expired',
  'session_expired_draft_kept',
  'logged_out',
];

export const portalViews: PortalView[] = [
  {
    name: 'the loading state',
    open: async (lang) => {
      worker.use(http.get('*/api/session', pendingUntilReleased()));
      const portal = await mountInPage(lang);
      await waitForElement(portal, '[part~="loading"]');
      return portal;
    },
  },
  {
    name: 'the start error with „Erneut versuchen"',
    open: async (lang) => {
      worker.use(http.get('*/api/session', () => HttpResponse.error()));
      const portal = await mountInPage(lang);
      await waitForElement(portal, '[part~="error"]');
      return portal;
    },
  },
  {name: 'the empty login form', open: loginForm},
  ...notices.map((notice) => ({
    name: `the login form with the notice ${notice}`,
    open: (lang: Language) => withNotice(lang, notice),
  })),
  {
    name: 'the login form with a field error after an invalid address',
    open: async (lang) => {
      const portal = await loginForm(lang);
      await submitEmail(portal, 'fahrer@example');
      await waitForElement(portal, '#email-error');
      await settled(portal);
      return portal;
    },
  },
  {
    name: 'the login form with a form error and „Erneut versuchen"',
    open: async (lang) => {
      worker.use(http.post('*/api/auth/email-link', () => apiError(503, 'service_unavailable')));
      const portal = await loginForm(lang);
      await submitEmail(portal, 'fahrer@example.com');
      await waitForElement(portal, '[part~="error"]');
      await settled(portal);
      return portal;
    },
  },
  {name: 'the check-mail view', open: checkMail},
  {
    name: 'the check-mail view after sending again',
    open: async (lang) => {
      const portal = await checkMail(lang);
      inside<HTMLButtonElement>(portal, 'conroo-check-mail', '.actions button:last-child')!.click();
      await waitInside(portal, 'conroo-check-mail', '[role="status"] .banner');
      await settled(portal);
      return portal;
    },
  },
  {
    name: 'the check-mail view when sending again fails',
    open: async (lang) => {
      const portal = await checkMail(lang);
      worker.use(http.post('*/api/auth/email-link', () => apiError(429, 'rate_limited')));
      inside<HTMLButtonElement>(portal, 'conroo-check-mail', '.actions button:last-child')!.click();
      await waitInside(portal, 'conroo-check-mail', '[role="alert"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: 'the overview with a Gate Pass',
    open: (lang) => section(lang, 'fahrer@example.com', 'overview'),
  },
  {
    name: 'the overview without a Gate Pass',
    open: (lang) => section(lang, 'ohne-abo@example.com', 'overview'),
  },
  {
    name: 'the overview with an open invoice',
    open: (lang) => {
      setRecentInvoices('cus_fahrer', [
        fixtureInvoice('in_open', 'CONROO-2026-0005', {
          status: 'open',
          created: now - 2 * day,
          dueDate: now + 12 * day,
          payUrl: 'https://invoice.stripe.com/i/acct_123/test_open',
        }),
      ]);
      return section(lang, 'fahrer@example.com', 'overview');
    },
  },
  {
    name: 'the overview after a failed renewal',
    open: (lang) => section(lang, 'offen@example.com', 'overview'),
  },
  {
    name: 'the overview of a company, with the account switcher',
    open: (lang) => section(lang, 'zwei@example.com', 'overview'),
  },
  {
    name: 'the overview of a company with a VAT ID and a shipping address',
    open: (lang) => section(lang, 'firma@example.com', 'overview'),
  },
  {
    name: 'an overview that could not load',
    open: async (lang) => {
      signInAs('fahrer@example.com');
      worker.use(http.get('*/api/account', () => apiError(500, 'internal_error')));
      const portal = await mountInPage(lang);
      await waitInside(portal, 'conroo-overview', '[part~="error"]');
      return portal;
    },
  },
  {
    name: '„Zahlungsmethoden" with a card and an expired one',
    open: (lang) => section(lang, 'fahrer@example.com', 'payment-methods'),
  },
  {
    name: '„Zahlungsmethoden" with PayPal',
    open: (lang) => section(lang, 'paypal@example.com', 'payment-methods'),
  },
  {
    name: '„Zahlungsmethoden" without any',
    open: (lang) => section(lang, 'ohne-abo@example.com', 'payment-methods'),
  },
  {
    name: '„Zahlungsmethoden" asking to confirm a removal',
    open: async (lang) => {
      const portal = await section(lang, 'fahrer@example.com', 'payment-methods');
      find<HTMLButtonElement>(
        portal,
        '[data-payment-method="pm_mc_old"] [data-action="remove"]',
      )!.click();
      await waitForElement(portal, '.confirm');
      return portal;
    },
  },
  {
    name: '„Zahlungsmethoden" after choosing another default',
    open: async (lang) => {
      const portal = await section(lang, 'fahrer@example.com', 'payment-methods');
      find<HTMLButtonElement>(
        portal,
        '[data-payment-method="pm_mc_old"] [data-action="default"]',
      )!.click();
      await waitInside(portal, 'conroo-payment-methods', '[part~="notice"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Zahlungsmethoden" when the default cannot be removed',
    open: async (lang) => {
      worker.use(
        http.delete('*/api/payment-methods/:id', () => apiError(409, 'default_payment_method')),
      );
      const portal = await section(lang, 'fahrer@example.com', 'payment-methods');
      find<HTMLButtonElement>(
        portal,
        '[data-payment-method="pm_visa"] [data-action="remove"]',
      )!.click();
      (await waitForElement<HTMLButtonElement>(portal, '[data-action="confirm-remove"]')).click();
      await waitForElement(portal, '[data-payment-method="pm_visa"] [role="alert"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Zahlungsmethode hinzufügen" with the demo card form',
    open: paymentMethodsWithForm,
  },
  {
    name: '„Zahlungsmethode hinzufügen" with the card fields marked',
    open: async (lang) => {
      const portal = await paymentMethodsWithForm(lang);
      find<HTMLButtonElement>(portal, '[part~="add-form"] [part~="submit"]')!.click();
      await waitForElement(portal, '#card-number-error');
      return portal;
    },
  },
  {
    name: '„Zahlungsmethode hinzufügen" with a declined card',
    open: async (lang) => {
      const portal = await paymentMethodsWithForm(lang);
      const values = {'card-number': '4000000000000002', 'card-expiry': '12/34', 'card-cvc': '123'};
      for (const [id, value] of Object.entries(values)) {
        find<HTMLInputElement>(portal, `#${id}`)!.value = value;
      }
      find<HTMLButtonElement>(portal, '[part~="add-form"] [part~="submit"]')!.click();
      await waitForElement(portal, '[part~="form-error"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Zahlungsmethode hinzufügen" with PayPal chosen',
    open: async (lang) => {
      const portal = await paymentMethodsWithForm(lang);
      find<HTMLButtonElement>(portal, '#tab-paypal')!.click();
      await waitUntil(() => find(portal, '#tab-paypal')?.getAttribute('aria-selected') === 'true');
      return portal;
    },
  },
  {
    name: '„Rechnung und Versand" of a driver',
    open: (lang) => section(lang, 'fahrer@example.com', 'billing-shipping'),
  },
  {
    name: '„Rechnung und Versand" of a company',
    open: (lang) => section(lang, 'firma@example.com', 'billing-shipping'),
  },
  {
    name: '„Rechnung und Versand" without any details',
    open: (lang) => section(lang, 'ohne-abo@example.com', 'billing-shipping'),
  },
  {
    name: '„Informationen aktualisieren" with a separate shipping address',
    open: (lang) => billingForm(lang, 'firma@example.com'),
  },
  {
    name: '„Informationen aktualisieren" with the server’s field errors',
    open: async (lang) => {
      const portal = await billingForm(lang, 'firma@example.com');
      failNextBillingDetailsUpdate({
        status: 422,
        fields: {
          'shipping.address.postalCode': fieldError({code: 'postal_code', params: {country: 'DE'}}),
          'taxId.value': fieldError({code: 'tax_id_refused'}),
          'address.line1': fieldError({code: 'too_long', params: {max: 200}}),
        },
      });
      await saveBillingForm(portal);
      await waitForElement(portal, '#field-taxId-value-error');
      return portal;
    },
  },
  {
    name: '„Informationen aktualisieren" with empty required fields',
    open: async (lang) => {
      const portal = await billingForm(lang, 'ohne-abo@example.com');
      await saveBillingForm(portal);
      await waitForElement(portal, '#field-name-error');
      return portal;
    },
  },
  {
    name: '„Informationen aktualisieren" when Stripe is unavailable',
    open: async (lang) => {
      const portal = await billingForm(lang, 'fahrer@example.com');
      failNextBillingDetailsUpdate({status: 503});
      await saveBillingForm(portal);
      await waitForElement(portal, '[part~="form-error"]');
      return portal;
    },
  },
  {
    name: '„Rechnung und Versand" after saving',
    open: async (lang) => {
      const portal = await billingForm(lang, 'fahrer@example.com');
      await saveBillingForm(portal);
      await waitInside(portal, 'conroo-billing-shipping', '[part~="notice"]');
      return portal;
    },
  },
  {
    name: '„Informationen aktualisieren" with a draft from an ended session',
    open: async (lang) => {
      const values = valuesFromCustomer(customers.cus_fahrer.account.customer);
      saveDraft('cus_fahrer', {...values, name: 'Spedition Muster GmbH & Co. KG'});
      const portal = await signedIn(lang, 'fahrer@example.com');
      await waitInside(portal, 'conroo-billing-shipping', '[part~="draft-notice"]');
      return portal;
    },
  },
  {
    name: '„Informationen aktualisieren" while the save waits for Stripe',
    open: async (lang) => {
      const portal = await billingForm(lang, 'firma@example.com');
      failNextBillingDetailsUpdate({pending: true});
      await saveBillingForm(portal);
      await waitInside(portal, 'conroo-billing-shipping', '[part~="form-error"]');
      return portal;
    },
  },
  {
    name: '„Rechnungen" with paid invoices',
    open: (lang) => section(lang, 'fahrer@example.com', 'invoices'),
  },
  {
    name: '„Rechnungen" with an open invoice and „Mehr laden"',
    open: (lang) => {
      setInvoices('cus_offen', [
        fixtureInvoice('in_open', 'CONROO-2026-0005', {
          status: 'open',
          created: now - 2 * day,
          dueDate: now - day,
          payUrl: 'https://invoice.stripe.com/i/acct_123/test_open',
        }),
        ...manyInvoices(12),
      ]);
      return section(lang, 'offen@example.com', 'invoices');
    },
  },
  {
    name: '„Rechnungen" without invoices',
    open: (lang) => section(lang, 'ohne-abo@example.com', 'invoices'),
  },
  {
    name: '„Rechnungen" when „Mehr laden" fails',
    open: async (lang) => {
      setInvoices('cus_fahrer', manyInvoices(12));
      const portal = await section(lang, 'fahrer@example.com', 'invoices');
      worker.use(
        http.get('*/api/invoices', ({request}) =>
          new URL(request.url).searchParams.has('startingAfter')
            ? apiError(503, 'stripe_unavailable')
            : undefined,
        ),
      );
      find<HTMLButtonElement>(portal, '[part~="load-more"]')!.click();
      await waitInside(portal, 'conroo-invoices', '.more [role="alert"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Rechnungen" when a PDF cannot be downloaded',
    open: async (lang) => {
      const portal = await section(lang, 'fahrer@example.com', 'invoices');
      worker.use(http.get('*/api/invoices/:id/pdf', () => apiError(503, 'stripe_unavailable')));
      find<HTMLAnchorElement>(portal, '[part~="pdf-link"]')!.click();
      await waitForElement(portal, '[part~="download-error"]');
      return portal;
    },
  },
  {
    name: 'the dashboard when logging out fails',
    open: async (lang) => {
      worker.use(http.delete('*/api/session', () => apiError(500, 'internal_error')));
      const portal = await signedIn(lang, 'fahrer@example.com');
      find<HTMLButtonElement>(portal, '[part~="logout-button"]')!.click();
      await waitInside(portal, 'conroo-dashboard', '.content > [role="alert"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: 'the dialog, opened, with the login form',
    open: async (lang) => {
      const portal = await mountInPage(lang, 'dialog');
      portal.show();
      await waitForElement(portal, 'input[type=email]');
      return portal;
    },
  },
  {
    name: 'the dialog, opened, with the dashboard',
    open: async (lang) => {
      signInAs('fahrer@example.com');
      const portal = await mountInPage(lang, 'dialog');
      portal.show();
      await waitForElement(portal, '.content > h2');
      await settled(portal);
      return portal;
    },
  },
];
