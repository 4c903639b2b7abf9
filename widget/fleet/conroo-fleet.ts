import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {customElement, query, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg} from '@lit/localize';
import type {
  BillingDetailsRequest,
  FleetBillingResult,
  FleetDriver,
  SessionInfo,
} from '../../common/contract.js';
import {getFleet} from '../api/fleet-api.js';
import {
  serverProblems,
  toRequest,
  valuesFromCustomer,
} from '../billing-details/billing-details-model.js';
import type {ConrooBillingDetailsForm} from '../billing-details/conroo-billing-details-form.js';
import {
  navigationContext,
  type DashboardSection,
  type FleetView,
  type PortalNavigation,
} from '../context/navigation-context.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {WidthController} from '../controllers/width-controller.js';
import {portalEvent, type PortalEventMap} from '../events.js';
import {intlLocale} from '../intl.js';
import {saveFailureText} from '../sections/billing-save-outcome.js';
import {renderEmpty} from '../views/section-states.js';
import {BulkBillingController, type BulkOutcome} from './bulk-billing-controller.js';
import {fleetStyles} from './conroo-fleet.styles.js';
import './conroo-fleet-export.js';
import './conroo-fleet-next-driver.js';
import {
  renderBulkForm,
  renderBulkSummary,
  renderSelectionBar,
  type BulkForm,
} from './fleet-bulk-panel.js';
import {
  defaultFleetView,
  fleetFilters,
  lacksPaymentMethod,
  passes,
  visibleDrivers,
  type FleetFilter,
  type FleetSortKey,
} from './fleet-model.js';
import {renderFleetList, renderFleetTable, type DriverRowState} from './fleet-rows.js';
import {perDriverCardText, resultCountText} from './fleet-texts.js';
import {renderFleetToolbar} from './fleet-toolbar.js';

/** The fleet's accounts as they matter to it: switching the active one loads nothing again. */
const accountsKey = (session: SessionInfo | undefined) =>
  session?.accounts.map((account) => `${account.customerId}:${account.name}`).join('|');

/**
 * @summary „Fahrer": every Gate Pass the session holds, one driver per row, for a carrier or a
 * company with many drivers. Sorted, filtered and searched; several drivers' billing details
 * changed at once; a driver's own sections opened from its row; a year's invoices of every
 * driver as one ZIP. A table where its columns fit, else a list of cards.
 *
 * @event conroo-account-switch - A driver's row asks to open that driver (`detail.customerId`,
 *   `detail.then`: the section, with the way back).
 * @event conroo-fleet-billing-details-saved - The bulk form saved the same details for drivers
 *   (`detail.customerIds`, `detail.details`).
 *
 * @csspart search - The search field.
 * @csspart filter-chip - A filter chip (`aria-pressed` while on).
 * @csspart table - The table of drivers (wide).
 * @csspart list - The list of drivers (narrow).
 * @csspart item - One driver's card (narrow).
 * @csspart edit-form - The bulk billing form's card.
 * @csspart bulk-results - How the latest bulk save went.
 */
@localized()
@customElement('conroo-fleet')
export class ConrooFleet extends LitElement {
  static override styles = fleetStyles;

  private readonly data = new SectionDataController(this, {
    load: async (api, signal) => {
      const {drivers} = await getFleet(api, signal);
      this.drivers = drivers;
      return drivers;
    },
    dependsOn: accountsKey,
  });
  /** A table from 56 rem (its columns need about 54), else cards. */
  private readonly width = new WidthController(this, 56);
  private readonly bulk = new BulkBillingController(this, {
    api: () => this.data.api,
    onResults: (results, details) => this.applyResults(results, details),
  });

  @consume({context: navigationContext, subscribe: true})
  private navigation?: PortalNavigation;

  @query('conroo-billing-details-form') private form?: ConrooBillingDetailsForm;
  @query('[part~="bulk-results"]') private summaryElement?: HTMLElement;
  @query('[data-action="bulk-billing"]') private bulkButton?: HTMLButtonElement;

  @state() private drivers: FleetDriver[] = [];
  @state() private view: FleetView = defaultFleetView;
  /** The chosen drivers (a new set on every change). */
  @state() private selected: ReadonlySet<string> = new Set();
  @state() private bulkForm?: BulkForm;

  private restoredFrom?: PortalNavigation;

  override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    // Back from a driver's section: the fleet as it was left.
    const navigation = this.navigation;
    if (navigation !== this.restoredFrom) {
      this.restoredFrom = navigation;
      if (navigation?.fleetView) {
        this.view = navigation.fleetView;
      }
    }
  }

  private listed(): FleetDriver[] {
    return visibleDrivers(this.drivers, this.view, new Intl.Collator(intlLocale()));
  }

  private handleQuery(query: string) {
    this.view = {...this.view, query};
  }

  private handleToggleFilter(filter: FleetFilter) {
    const filters = this.view.filters.includes(filter)
      ? this.view.filters.filter((candidate) => candidate !== filter)
      : [...this.view.filters, filter];
    this.view = {...this.view, filters};
  }

  /** A column header: its column ascending, or the other way round when it sorts already. */
  private handleSortColumn(key: FleetSortKey) {
    const {sort} = this.view;
    this.view = {...this.view, sort: {key, descending: sort.key === key && !sort.descending}};
  }

  private handleSelect(customerId: string, selected: boolean) {
    const next = new Set(this.selected);
    if (selected) next.add(customerId);
    else next.delete(customerId);
    this.selected = next;
  }

  /** „Alle auswählen": every listed driver (the filtered set), or none of them. */
  private handleSelectAll(selected: boolean) {
    const next = new Set(this.selected);
    for (const driver of this.listed()) {
      if (selected) next.add(driver.customerId);
      else next.delete(driver.customerId);
    }
    this.selected = next;
  }

  /** Opens a driver's section: makes it the active account first, with the way back. */
  private openDriver(driver: FleetDriver, section: DashboardSection, addPaymentMethod = false) {
    const then: PortalNavigation = {
      section,
      addPaymentMethod,
      fleetTrip: {view: this.view, order: this.listed().map((listed) => listed.customerId)},
    };
    this.dispatchEvent(
      driver.customerId === this.data.session?.activeCustomerId
        ? portalEvent('conroo-navigate', then)
        : portalEvent('conroo-account-switch', {customerId: driver.customerId, then}),
    );
  }

  private handleOpenForm() {
    const blank = {
      id: '',
      name: null,
      email: null,
      phone: null,
      address: null,
      shipping: null,
      reference: null,
    };
    this.bulkForm = {values: valuesFromCustomer({...blank, taxIds: []}), problems: {}, failure: ''};
    void this.updateComplete.then(() => this.form?.focusFirstField());
  }

  private handleCancelForm(event: Event) {
    event.stopPropagation();
    this.bulkForm = undefined;
    void this.updateComplete.then(() => this.bulkButton?.focus());
  }

  private async handleSubmit(event: CustomEvent<PortalEventMap['conroo-billing-details-submit']>) {
    event.stopPropagation();
    // Top to bottom as listed (then those the filter hides), so that rows fill in downwards.
    const ids = [...new Set([...this.listed(), ...this.drivers].map((d) => d.customerId))].filter(
      (id) => this.selected.has(id),
    );
    const form = this.bulkForm;
    if (!form || this.bulk.running || !ids.length) {
      return;
    }
    this.bulkForm = {...form, problems: {}, failure: ''};
    // An empty „Ihre Referenz" leaves each driver's own (omitted: unchanged), as its hint says.
    const {reference, ...details} = toRequest(event.detail.values);
    await this.finish(await this.bulk.run(ids, reference ? {...details, reference} : details));
  }

  private async handleRetry() {
    await this.finish(await this.bulk.retryFailed());
  }

  /**
   * After a run: a `422` (for all, or for some drivers) keeps the form with what was typed and
   * its fields marked, as „Rechnung und Versand" does; otherwise the form closes and the
   * summary says how it went.
   */
  private async finish(outcome: BulkOutcome) {
    if (outcome.saved.length && this.bulk.details) {
      this.dispatchEvent(
        portalEvent('conroo-fleet-billing-details-saved', {
          customerIds: outcome.saved,
          details: this.bulk.details,
        }),
      );
    }
    const refused = this.bulk
      .failedIds()
      .map((id) => this.bulk.rows.get(id))
      .find((row) => row?.status === 'failed' && row.code === 'validation_failed' && row.fields);
    const fields =
      outcome.invalid?.fields ?? (refused?.status === 'failed' ? refused.fields : undefined);
    if (fields && this.bulkForm) {
      const {problems, unknown} = serverProblems(fields);
      this.bulkForm = {
        ...this.bulkForm,
        problems,
        failure: saveFailureText({kind: 'fields', unknown}),
      };
      await this.updateComplete;
      if (unknown.length || !(await this.form?.focusFirstProblem())) {
        this.renderRoot.querySelector<HTMLElement>('[part~="form-error"]')?.focus();
      }
      return;
    }
    this.bulkForm = undefined;
    await this.updateComplete;
    this.summaryElement?.focus();
  }

  /** What a saved driver's row shows now: the details as sent (the next load: as Stripe has them). */
  private applyResults(results: FleetBillingResult[], details: BillingDetailsRequest) {
    const saved = new Set(results.filter((r) => r.status === 'saved').map((r) => r.customerId));
    const taxId = details.taxId;
    this.drivers = this.drivers.map((driver) =>
      saved.has(driver.customerId)
        ? {
            ...driver,
            billingName: details.name,
            taxIds: taxId
              ? [{id: '', type: taxId.type ?? '', value: taxId.value, verification: null}]
              : [],
          }
        : driver,
    );
  }

  private rowState(driver: FleetDriver): DriverRowState {
    return {
      selected: this.selected.has(driver.customerId),
      bulk: this.bulk.rows.get(driver.customerId),
      onSelect: (selected) => this.handleSelect(driver.customerId, selected),
      onOpen: () => this.openDriver(driver, 'overview'),
      onAddPaymentMethod: () => this.openDriver(driver, 'payment-methods', true),
    };
  }

  private renderDrivers(listed: FleetDriver[]) {
    if (!listed.length) {
      return renderEmpty(
        msg('Kein Fahrer passt zu Suche und Filtern. Ändern Sie die Suche oder die Filter.'),
      );
    }
    const options = {
      sort: this.view.sort,
      onSort: (key: FleetSortKey) => this.handleSortColumn(key),
      row: (driver: FleetDriver) => this.rowState(driver),
    };
    return this.width.wide
      ? renderFleetTable(
          listed,
          msg('Fahrer mit Gate Pass, Zahlungsmethode und Rechnungsdaten'),
          options,
        )
      : renderFleetList(listed, options);
  }

  private renderFleet() {
    const listed = this.listed();
    const counts = Object.fromEntries(
      fleetFilters.map((filter) => [
        filter,
        this.drivers.filter((driver) => passes(driver, filter)).length,
      ]),
    ) as Record<FleetFilter, number>;
    return html`${renderFleetToolbar({
        view: this.view,
        wide: this.width.wide,
        counts,
        onQuery: (query) => this.handleQuery(query),
        onToggleFilter: (filter) => this.handleToggleFilter(filter),
        onSort: (sort) => (this.view = {...this.view, sort}),
      })}
      <p class="result-count" role="status">
        ${resultCountText(listed.length, this.drivers.length)}
      </p>
      ${
        this.drivers.some(lacksPaymentMethod)
          ? html`<div class="banner banner--info" part="notice">
              <p>${perDriverCardText()}</p>
            </div>`
          : nothing
      }
      ${renderSelectionBar({
        listed: listed.length,
        listedSelected: listed.filter((driver) => this.selected.has(driver.customerId)).length,
        selected: this.selected.size,
        busy: this.bulk.running || Boolean(this.bulkForm),
        onSelectAll: (selected) => this.handleSelectAll(selected),
        onOpenForm: () => this.handleOpenForm(),
      })}
      ${
        this.bulkForm
          ? renderBulkForm(this.bulkForm, {
              selected: this.selected.size,
              busy: this.bulk.running,
              onSubmit: (event) => void this.handleSubmit(event),
              onCancel: (event) => this.handleCancelForm(event),
            })
          : nothing
      }
      ${this.renderDrivers(listed)}`;
  }

  override render() {
    return html`<p class="intro">
        ${msg(
          'Alle Gate Passes, die Sie verwalten – ein Fahrer je Zeile. Öffnen Sie einen Fahrer, um seine Zahlungsmethoden, Rechnungsdaten und Rechnungen zu bearbeiten.',
        )}
      </p>
      ${renderBulkSummary(this.bulk, () => void this.handleRetry())}
      ${this.data.render(() => this.renderFleet())}
      <conroo-fleet-export
        exportparts="card, export, export-year, export-link, download-error"
      ></conroo-fleet-export>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-fleet': ConrooFleet;
  }
}
