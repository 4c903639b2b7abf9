import {LitElement, html, nothing} from 'lit';
import {customElement, property, query} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import {consume} from '@lit/context';
import {localized, msg} from '@lit/localize';
import type {AccountSummary, SessionInfo} from '../../common/contract.js';
import {
  dashboardSections,
  navigationContext,
  type DashboardSection,
  type PortalNavigation,
} from '../context/navigation-context.js';
import {sessionContext} from '../context/session-context.js';
import {portalEvent} from '../events.js';
import {subscriptionStatusLabel} from '../format.js';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import '../sections/conroo-overview.js';
import '../sections/conroo-payment-methods.js';
import '../sections/conroo-billing-shipping.js';
import '../sections/conroo-invoices.js';
import {dashboardParts, sectionParts} from '../parts.js';
import {dashboardStyles} from './conroo-dashboard.styles.js';

/** The sidebar label of each section; the German ones are those the help article quotes. */
export function sectionTitle(section: DashboardSection): string {
  switch (section) {
    case 'overview':
      return msg('Übersicht');
    case 'payment-methods':
      return msg('Zahlungsmethoden');
    case 'billing-shipping':
      return msg('Rechnung und Versand');
    case 'invoices':
      return msg('Rechnungen');
  }
}

function accountLabel(account: AccountSummary): string {
  const name = account.name || account.email || account.customerId;
  return account.subscriptionStatus
    ? `${name} · ${subscriptionStatusLabel(account.subscriptionStatus)}`
    : name;
}

/**
 * @summary The signed-in dashboard: the sidebar (sections, account switcher, „Abmelden") and
 * the active section. A top bar instead of the sidebar in narrow containers.
 *
 * @event conroo-navigate - A sidebar entry was chosen (`detail.section`).
 * @event conroo-account-switch - Another account was chosen (`detail.customerId`).
 * @event conroo-logout-request - „Abmelden" was pressed.
 *
 * @slot stripe-payment-element - Passed on to „Zahlungsmethoden" for the payment form.
 *
 * @csspart sidebar - The sidebar (top bar in narrow containers).
 * @csspart nav - The section navigation.
 * @csspart account-select - The account switcher, when the session holds several accounts.
 * @csspart logout-button - „Abmelden".
 * @csspart content - The area of the active section.
 *
 * @cssproperty --conroo-sidebar-width - Width of the sidebar on wide screens.
 * @cssproperty --conroo-sidebar-background - Background of the sidebar.
 */
@localized()
@customElement('conroo-dashboard')
export class ConrooDashboard extends LitElement {
  static override styles = dashboardStyles;

  override connectedCallback() {
    super.connectedCallback();
    // Its parts and its sections' reach the portal's host, and so the page (::part()). Set
    // here rather than by the portal, so that the list loads with the dashboard.
    this.setAttribute('exportparts', dashboardParts);
  }

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  @consume({context: navigationContext, subscribe: true})
  private navigation?: PortalNavigation;

  @query('.content > h2') private heading?: HTMLHeadingElement;

  private shownSection?: DashboardSection;

  /** A message about a failed action (switching accounts, logging out), shown above the section. */
  @property() message = '';

  /** Whether an action of the whole dashboard (switching, logging out) is in progress. */
  @property({type: Boolean}) busy = false;

  override updated() {
    // Moving to another section moves focus to its heading, so screen readers follow along.
    const section = this.navigation?.section;
    if (this.shownSection && section !== this.shownSection) {
      this.heading?.focus();
    }
    this.shownSection = section;
  }

  private handleNavigate(section: DashboardSection) {
    this.dispatchEvent(portalEvent('conroo-navigate', {section}));
  }

  private handleAccountChange(event: Event) {
    const customerId = (event.target as HTMLSelectElement).value;
    if (customerId && customerId !== this.session?.activeCustomerId) {
      this.dispatchEvent(portalEvent('conroo-account-switch', {customerId}));
    }
  }

  private handleLogout() {
    this.dispatchEvent(portalEvent('conroo-logout-request', {}));
  }

  private renderSection(section: DashboardSection) {
    switch (section) {
      case 'overview':
        return html`<conroo-overview exportparts=${sectionParts}></conroo-overview>`;
      case 'payment-methods':
        // The payment form's light-DOM node, passed on from the portal's host.
        return html`<conroo-payment-methods exportparts=${sectionParts}>
          <slot name=${paymentElementSlot} slot=${paymentElementSlot}></slot>
        </conroo-payment-methods>`;
      case 'billing-shipping':
        return html`<conroo-billing-shipping
          exportparts=${sectionParts}
        ></conroo-billing-shipping>`;
      case 'invoices':
        return html`<conroo-invoices exportparts=${sectionParts}></conroo-invoices>`;
    }
  }

  override render() {
    const session = this.session;
    const current = this.navigation?.section ?? 'overview';
    if (!session) {
      return nothing;
    }
    return html`<div class="layout">
      <aside class="sidebar" part="sidebar">
        <div class="identity">
          <span class="muted">${msg('Angemeldet als')}</span>
          <strong title=${session.email}>${session.email}</strong>
        </div>
        ${
          session.accounts.length > 1
            ? html`<label class="switcher">
                ${msg('Konto')}
                <select
                  part="account-select"
                  ?disabled=${this.busy}
                  .value=${live(session.activeCustomerId)}
                  @change=${this.handleAccountChange}
                >
                  ${session.accounts.map(
                    (account) =>
                      html`<option
                        value=${account.customerId}
                        ?selected=${account.customerId === session.activeCustomerId}
                      >
                        ${accountLabel(account)}
                      </option>`,
                  )}
                </select>
              </label>`
            : nothing
        }
        <nav part="nav" aria-label=${msg('Kundenportal')}>
          <ul>
            ${dashboardSections.map(
              (section) =>
                html`<li>
                  <button
                    type="button"
                    data-section=${section}
                    aria-current=${section === current ? 'page' : 'false'}
                    @click=${() => this.handleNavigate(section)}
                  >
                    ${sectionTitle(section)}
                  </button>
                </li>`,
            )}
          </ul>
        </nav>
        <button
          type="button"
          class="button button--secondary logout"
          part="logout-button"
          ?disabled=${this.busy}
          @click=${this.handleLogout}
        >
          ${msg('Abmelden')}
        </button>
      </aside>
      <div class="content" part="content">
        <h2 tabindex="-1">${sectionTitle(current)}</h2>
        ${
          this.message
            ? html`<div class="banner banner--danger" role="alert"><p>${this.message}</p></div>`
            : nothing
        }
        ${this.renderSection(current)}
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-dashboard': ConrooDashboard;
  }
}
