import {LitElement, html, nothing} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import {consume} from '@lit/context';
import {localized, msg} from '@lit/localize';
import type {AccountSummary, SessionInfo} from '../../common/contract.js';
import {
  navigationContext,
  type DashboardSection,
  type PortalNavigation,
} from '../context/navigation-context.js';
import {sessionContext} from '../context/session-context.js';
import {removeExpiredDrafts} from '../billing-details/billing-draft.js';
import {LazyPartsController} from '../controllers/lazy-parts-controller.js';
import {SectionRevealController} from '../controllers/section-reveal-controller.js';
import {portalEvent} from '../events.js';
import {subscriptionStatusLabel} from '../format.js';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import '../sections/conroo-overview.js';
import '../sections/conroo-payment-methods.js';
import '../sections/conroo-billing-shipping.js';
import '../sections/conroo-invoices.js';
import {dashboardParts, sectionParts} from '../parts.js';
import {dashboardStyles} from './conroo-dashboard.styles.js';
import {
  activeAccount,
  isFleetSession,
  landingSection,
  sectionHeading,
  sectionTitle,
  sidebarSections,
} from './dashboard-nav.js';
import {fleetPart, partForSection} from './dashboard-parts.js';
import {firstCard} from './first-card.js';
import {renderError, renderLoading} from './section-states.js';

function accountLabel(account: AccountSummary): string {
  const name = account.name || account.email || account.customerId;
  return account.subscriptionStatus
    ? `${name} · ${subscriptionStatusLabel(account.subscriptionStatus)}`
    : name;
}

/**
 * @summary The signed-in dashboard: the sidebar (sections, account switcher, „Abmelden") and
 * the active section. A session that holds a fleet (more than three Gate Passes, or several held
 * as a carrier) starts on „Fahrer".
 *
 * In narrow containers (below 46rem: a phone, a 1280 px window at 200 % zoom) the sidebar is one
 * short bar above the section: „Menü" (which opens the list of sections, and who is signed in)
 * and „Abmelden"; the account switcher below it when the session holds several accounts.
 *
 * After a section change, and when `focusSection({reveal: true})` asks (the portal does after a
 * mail link), the section's heading and its first card are brought into view, scrolling only as
 * far as needed; focus goes to the heading without scrolling.
 *
 * @event conroo-navigate - A sidebar entry was chosen (`detail.section`).
 * @event conroo-account-switch - Another account was chosen (`detail.customerId`).
 * @event conroo-logout-request - „Abmelden" was pressed.
 *
 * @slot stripe-payment-element - Passed on to „Zahlungsmethoden" for the payment form.
 *
 * @csspart sidebar - The sidebar (top bar in narrow containers).
 * @csspart nav - The section navigation.
 * @csspart menu-button - „Menü", which opens the section navigation in narrow containers.
 * @csspart account-select - The account switcher, when the session holds several accounts.
 * @csspart logout-button - „Abmelden".
 * @csspart content - The area of the active section.
 * @csspart back-to-fleet - „Zurück zur Fahrerliste" above a driver's section opened from „Fahrer".
 *
 * @cssproperty --conroo-sidebar-width - Width of the sidebar on wide screens.
 * @cssproperty --conroo-sidebar-background - Background of the sidebar.
 */
@localized()
@customElement('conroo-dashboard')
export class ConrooDashboard extends LitElement {
  static override styles = dashboardStyles;

  /** The fleet's and „Spedition"'s chunks: when shown, and the fleet's ahead for a fleet. */
  private readonly parts = new LazyPartsController(this, () => {
    const section = this.session ? this.currentSection(this.session) : undefined;
    return {
      view: section ?? '',
      now: section && partForSection(section),
      next: this.session && isFleetSession(this.session) ? fleetPart : undefined,
    };
  });

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  @consume({context: navigationContext, subscribe: true})
  private navigation?: PortalNavigation;

  /** Brings the section's heading and first card into view after the user moved to it. */
  private readonly reveal = new SectionRevealController(this, () => this.revealTarget());

  @query('.content > h2') private heading?: HTMLHeadingElement;

  /** Whether „Menü" has opened the section navigation (narrow containers only). */
  @state() private menuOpen = false;

  /** The section chosen from „Menü" is brought into view even if it is the one shown. */
  private menuChoice = false;

  /** The driver whose new payment method „Zahlungsmethoden" saved on a trip from „Fahrer". */
  @state() private methodAddedFor?: string;

  private shownSection?: DashboardSection;

  /** A message about a failed action (switching accounts, logging out), shown above the section. */
  @property() message = '';

  /** Whether an action of the whole dashboard (switching, logging out) is in progress. */
  @property({type: Boolean}) busy = false;

  override connectedCallback() {
    super.connectedCallback();
    // Its parts and its sections' reach the portal's host, and so the page (::part()). Set
    // here rather than by the portal, so that the list loads with the dashboard.
    this.setAttribute('exportparts', dashboardParts);
    // A login is when forms left by sessions more than a day ago go, of whichever customer.
    removeExpiredDrafts();
  }

  override updated() {
    // Moving to another section moves focus to its heading, so screen readers follow along,
    // and brings it into view. Not on the first render: a page load does not scroll.
    const section = this.session ? this.currentSection(this.session) : undefined;
    if ((this.shownSection && section !== this.shownSection) || this.menuChoice) {
      this.focusSection({reveal: true});
    }
    this.menuChoice = false;
    this.shownSection = section;
  }

  /** The section asked for, if the sidebar lists it; else where the dashboard starts. */
  private currentSection(session: SessionInfo): DashboardSection {
    const wanted = this.navigation?.section;
    return wanted && sidebarSections(session).includes(wanted) ? wanted : landingSection(session);
  }

  /** The range from the heading to the section's first card, and the box that stands for it. */
  private revealTarget() {
    const box = this.renderRoot.querySelector<HTMLElement>('.reveal');
    const area = this.renderRoot.querySelector<HTMLElement>('.content');
    const start = this.renderRoot.querySelector('.content > .fleet-trip') ?? this.heading;
    if (!box || !area || !start) {
      return undefined;
    }
    return {box, area, start, ...firstCard(area)};
  }

  private handleNavigate(section: DashboardSection) {
    if (this.menuOpen) {
      this.menuOpen = false;
      // Its entry disappears with the menu: focus goes to the heading even on the same section.
      // (Only the narrow bar's „Menü" opens it; no checkVisibility(), which Safari < 17.4 lacks.)
      this.menuChoice = true;
    }
    // On a trip from „Fahrer", the driver's other sections keep the way back, and „Fahrer"
    // shows the fleet as it was left.
    const trip = this.navigation?.fleetTrip;
    this.dispatchEvent(
      portalEvent(
        'conroo-navigate',
        section === 'fleet' ? {section, fleetView: trip?.view} : {section, fleetTrip: trip},
      ),
    );
  }

  private handleAccountChange(event: Event) {
    const customerId = (event.target as HTMLSelectElement).value;
    if (customerId && customerId !== this.session?.activeCustomerId) {
      this.dispatchEvent(portalEvent('conroo-account-switch', {customerId}));
    }
  }

  private handleMenuToggle() {
    this.menuOpen = !this.menuOpen;
  }

  /** Escape closes the open menu, and focus goes back to „Menü". */
  private handleMenuKeydown(event: KeyboardEvent) {
    if (event.key === 'Escape' && this.menuOpen) {
      // Only the menu closes, not the dialog around the portal.
      event.preventDefault();
      event.stopPropagation();
      this.menuOpen = false;
      this.renderRoot.querySelector<HTMLElement>('.menu-button')?.focus();
    }
  }

  private handleLogout() {
    this.dispatchEvent(portalEvent('conroo-logout-request', {}));
  }

  private handleMethodAdded() {
    this.methodAddedFor = this.navigation?.fleetTrip ? this.session?.activeCustomerId : undefined;
  }

  /**
   * Focuses the section's heading, so that a screen reader says where the user is, without
   * scrolling; with `reveal`, brings the heading and the section's first card into view (once it
   * has loaded), scrolling only as far as needed.
   */
  focusSection({reveal = false} = {}) {
    this.heading?.focus({preventScroll: true});
    if (reveal) {
      this.reveal.reveal();
    }
  }

  /** „Weiter zum nächsten Fahrer ohne Zahlungsmethode", after a new method on a fleet trip. */
  private renderNextDriver() {
    const trip = this.navigation?.fleetTrip;
    if (!trip || !fleetPart.loaded || this.methodAddedFor !== this.session?.activeCustomerId) {
      return nothing;
    }
    return html`<conroo-fleet-next-driver
      slot="fleet-next"
      exportparts="next-driver, notice"
      .trip=${trip}
    ></conroo-fleet-next-driver>`;
  }

  private renderSection(section: DashboardSection) {
    const part = partForSection(section);
    if (part && !part.loaded) {
      const error = this.parts.error(part);
      return error ? renderError(error, () => this.parts.load(part)) : renderLoading();
    }
    switch (section) {
      case 'fleet':
        return html`<conroo-fleet exportparts=${sectionParts}></conroo-fleet>`;
      case 'overview':
        return html`<conroo-overview exportparts=${sectionParts}></conroo-overview>`;
      case 'payment-methods':
        // The payment form's light-DOM node, passed on from the portal's host.
        return html`<conroo-payment-methods
          exportparts=${sectionParts}
          @conroo-payment-method-added=${this.handleMethodAdded}
        >
          <slot name=${paymentElementSlot} slot=${paymentElementSlot}></slot>
          ${this.renderNextDriver()}
        </conroo-payment-methods>`;
      case 'billing-shipping':
        return html`<conroo-billing-shipping
          exportparts=${sectionParts}
        ></conroo-billing-shipping>`;
      case 'invoices':
        return html`<conroo-invoices exportparts=${sectionParts}></conroo-invoices>`;
      case 'carrier-access':
        return html`<conroo-carrier-access exportparts=${sectionParts}></conroo-carrier-access>`;
    }
  }

  /** „Zurück zur Fahrerliste" and whose section this is, on a trip from „Fahrer". */
  private renderFleetTrip(session: SessionInfo, current: DashboardSection) {
    if (!this.navigation?.fleetTrip || current === 'fleet') {
      return nothing;
    }
    const account = activeAccount(session);
    return html`<div class="fleet-trip">
      <button
        type="button"
        class="link-button"
        part="back-to-fleet"
        @click=${() => this.handleNavigate('fleet')}
      >
        <span aria-hidden="true">←</span> ${msg('Zurück zur Fahrerliste')}
      </button>
      ${account ? html`<span class="muted">${account.name || account.email}</span>` : nothing}
    </div>`;
  }

  override render() {
    const session = this.session;
    if (!session) {
      return nothing;
    }
    const current = this.currentSection(session);
    return html`<div class="layout">
      <aside class="sidebar ${this.menuOpen ? 'menu-open' : ''}" part="sidebar">
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
        <nav part="nav" aria-label=${msg('Kundenportal')} @keydown=${this.handleMenuKeydown}>
          <button
            type="button"
            class="menu-button"
            part="menu-button"
            aria-expanded=${this.menuOpen ? 'true' : 'false'}
            aria-controls="sections"
            @click=${this.handleMenuToggle}
          >
            <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
              <path
                d=${this.menuOpen ? 'M4 4l12 12M16 4L4 16' : 'M3 5h14M3 10h14M3 15h14'}
                stroke="currentColor"
                stroke-width="2"
              />
            </svg>
            ${msg('Menü')}
          </button>
          <ul id="sections">
            ${sidebarSections(session).map(
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
        <div class="reveal" aria-hidden="true"></div>
        ${this.renderFleetTrip(session, current)}
        <h2 tabindex="-1">${sectionHeading(current, activeAccount(session))}</h2>
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
