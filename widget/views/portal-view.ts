import {html} from 'lit';
import {msg, str} from '@lit/localize';
import type {PortalNavigation} from '../context/navigation-context.js';
import type {LazyPartsController} from '../controllers/lazy-parts-controller.js';
import type {PortalEventMap} from '../events.js';
import {missingPart} from '../lazy-parts.js';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import type {SessionFlow} from '../session/session-flow.js';
import {renderError, renderLoading} from './section-states.js';
import './conroo-login-form.js';
// `<conroo-check-mail>` and `<conroo-dashboard>` load on demand (lazy-parts.ts).

/** The parts the login form and „Prüfen Sie Ihr Postfach" pass up (the dashboard's: parts.ts). */
const loginParts = 'notice, form, input, submit, error, actions';

type PortalEvent<K extends keyof PortalEventMap> = CustomEvent<PortalEventMap[K]>;

/** What the views ask of `<conroo-billing-portal>` beyond the session flow. */
export interface PortalViewHost {
  /** Checks the session again (after „Erneut versuchen"). */
  start(): void;
  /** Shows a section of the dashboard. */
  navigate(navigation: PortalNavigation): void;
  /** Makes another of the session's accounts active, then goes where `then` says. */
  switchAccount(request: PortalEventMap['conroo-account-switch']): void;
  /** Ends the session („Abmelden"). */
  logout(): void;
  /** „Zahlungsmethoden" is about to confirm a method that may leave the page. */
  setupConfirming(detail: PortalEventMap['conroo-setup-confirming']): void;
}

/**
 * The listeners of the views' events, made once per element (a listener that stays the same
 * function is not removed and added again on every render). The internal events stop at the
 * portal; the payment-method and billing-details events go on to the host page.
 */
export function portalViewListeners(flow: SessionFlow, host: PortalViewHost) {
  return {
    retryStart: () => host.start(),
    linkRequested: stopped<'conroo-link-requested'>(({email}) => flow.linkRequested(email)),
    changeEmail: stopped<'conroo-change-email'>(({email}) => flow.changeEmail(email)),
    navigate: stopped<'conroo-navigate'>((navigation) => {
      flow.clearDashboardFailure();
      host.navigate(navigation);
    }),
    accountSwitch: stopped<'conroo-account-switch'>((request) => host.switchAccount(request)),
    logoutRequest: stopped<'conroo-logout-request'>(() => host.logout()),
    setupConfirming: stopped<'conroo-setup-confirming'>((detail) => host.setupConfirming(detail)),
    accountDataChanged: () => flow.accountDataChanged(),
    billingDetailsSaved: ({detail}: PortalEvent<'conroo-billing-details-saved'>) =>
      flow.accountNamed(detail.customer.id, detail.customer.name),
  };
}

/** A listener of an internal event: it stops at the portal and hands on its detail. */
function stopped<K extends keyof PortalEventMap>(handle: (detail: PortalEventMap[K]) => void) {
  return (event: PortalEvent<K>) => {
    event.stopPropagation();
    handle(event.detail);
  };
}

export type PortalViewListeners = ReturnType<typeof portalViewListeners>;

/** What went wrong in the dashboard (switching accounts, „Abmelden"), in words. */
function dashboardMessage(flow: SessionFlow) {
  switch (flow.dashboardFailure) {
    case 'switch_failed':
      return msg('Das Konto konnte nicht gewechselt werden. Bitte versuchen Sie es erneut.');
    case 'logout_failed':
      return msg('Die Abmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.');
    case 'access_ended':
      return msg(str`Ihr Zugriff auf den Gate Pass von ${flow.endedAccount} wurde beendet.`);
    default:
      return '';
  }
}

/**
 * The view the session flow is at: loading, the login form, „Prüfen Sie Ihr Postfach" or the
 * dashboard; while the view's part loads, loading (or why it failed, with „Erneut versuchen").
 */
export function renderPortalView(
  flow: SessionFlow,
  parts: LazyPartsController,
  on: PortalViewListeners,
) {
  const part = missingPart(flow.view);
  if (part) {
    const error = parts.error(part);
    return error ? renderError(error, () => parts.load(part)) : renderLoading();
  }
  switch (flow.view) {
    case 'starting':
      return flow.startError ? renderError(flow.startError, on.retryStart) : renderLoading();
    case 'signing-in':
      return renderLoading(msg('Sie werden angemeldet …'));
    case 'login':
      return html`<conroo-login-form
        exportparts=${loginParts}
        .email=${flow.email}
        .notice=${flow.loginNotice}
        @conroo-link-requested=${on.linkRequested}
      ></conroo-login-form>`;
    case 'check-mail':
      return html`<conroo-check-mail
        exportparts=${loginParts}
        .email=${flow.email}
        @conroo-change-email=${on.changeEmail}
      ></conroo-check-mail>`;
    case 'dashboard':
      return html`<conroo-dashboard
        .message=${dashboardMessage(flow)}
        ?busy=${flow.dashboardBusy}
        @conroo-navigate=${on.navigate}
        @conroo-account-switch=${on.accountSwitch}
        @conroo-logout-request=${on.logoutRequest}
        @conroo-setup-confirming=${on.setupConfirming}
        @conroo-payment-method-added=${on.accountDataChanged}
        @conroo-default-payment-method-changed=${on.accountDataChanged}
        @conroo-payment-method-removed=${on.accountDataChanged}
        @conroo-billing-details-saved=${on.billingDetailsSaved}
      >
        <slot name=${paymentElementSlot} slot=${paymentElementSlot}></slot>
      </conroo-dashboard>`;
  }
}
