import {LitElement, css, html} from 'lit';
import {customElement, property} from 'lit/decorators.js';
import {localized, msg, str} from '@lit/localize';
import type {FleetDriver} from '../../common/contract.js';
import {getFleet} from '../api/fleet-api.js';
import type {FleetTrip} from '../context/navigation-context.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {portalEvent} from '../events.js';
import {portalStyles} from '../styles/portal-styles.js';
import {driverName, nextDriverWithoutPaymentMethod} from './fleet-model.js';
import {perDriverCardText} from './fleet-texts.js';

/**
 * @summary After a new payment method in „Zahlungsmethoden" of a driver opened from „Fahrer":
 * „Weiter zum nächsten Fahrer ohne Zahlungsmethode", which makes that driver active and opens
 * its „Zahlungsmethode hinzufügen" at once; or, when every driver has one, the way back.
 *
 * @event conroo-account-switch - Opens the next driver's „Zahlungsmethoden" with its add form.
 * @event conroo-navigate - „Zurück zur Fahrerliste".
 *
 * @csspart next-driver - The offer.
 */
@localized()
@customElement('conroo-fleet-next-driver')
export class ConrooFleetNextDriver extends LitElement {
  static override styles = [
    portalStyles,
    css`
      :host {
        display: block;
      }

      .banner {
        display: grid;
        justify-items: start;
      }
    `,
  ];

  /** Every driver as the server has it now (this one has a payment method by now). */
  private readonly data = new SectionDataController(this, {
    load: async (api, signal) => (await getFleet(api, signal)).drivers,
  });

  /** The trip from „Fahrer": the order of its list and the way back. */
  @property({attribute: false}) trip?: FleetTrip;

  private handleNext(driver: FleetDriver) {
    this.dispatchEvent(
      portalEvent('conroo-account-switch', {
        customerId: driver.customerId,
        then: {section: 'payment-methods', fleetTrip: this.trip, addPaymentMethod: true},
      }),
    );
  }

  private handleBack() {
    this.dispatchEvent(
      portalEvent('conroo-navigate', {section: 'fleet', fleetView: this.trip?.view}),
    );
  }

  private renderOffer(drivers: FleetDriver[]) {
    const current = this.data.session?.activeCustomerId ?? '';
    const next = nextDriverWithoutPaymentMethod(drivers, this.trip?.order ?? [], current);
    if (!next) {
      return html`<div class="banner banner--success" part="next-driver" role="status">
        <p>${msg('Alle Fahrer haben jetzt eine Zahlungsmethode.')}</p>
        <button type="button" class="button button--secondary" @click=${this.handleBack}>
          ${msg('Zurück zur Fahrerliste')}
        </button>
      </div>`;
    }
    return html`<div class="banner banner--info" part="next-driver" role="status">
      <p>
        ${msg(str`Als Nächstes ohne Zahlungsmethode: ${driverName(next)}.`)} ${perDriverCardText()}
      </p>
      <button
        type="button"
        class="button button--primary"
        data-action="next-driver"
        @click=${() => this.handleNext(next)}
      >
        ${msg('Weiter zum nächsten Fahrer ohne Zahlungsmethode')}
      </button>
    </div>`;
  }

  override render() {
    return this.data.render((drivers) => this.renderOffer(drivers));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-fleet-next-driver': ConrooFleetNextDriver;
  }
}
