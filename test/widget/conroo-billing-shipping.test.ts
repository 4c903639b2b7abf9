import {expect, html} from '@open-wc/testing';
import {http} from 'msw';
import type {TemplateResult} from 'lit';
import '../../widget/index.js';
import {COUNTRY_CODES} from '../../common/billing-rules.js';
import type {Customer, FieldError} from '../../common/contract.js';
import {draftKey, saveDraft} from '../../widget/billing-details/billing-draft.js';
import {valuesFromCustomer} from '../../widget/billing-details/billing-details-model.js';
import {
  changeCustomer,
  completePendingSave,
  customerNow,
  expireSession,
  failNextBillingDetailsUpdate,
  fieldError,
  refusePendingSave,
  requestsTo,
  resetMockApi,
  signInAs,
  startMockApi,
  worker,
} from './support/portal-api-mock.js';
import {customers} from './support/portal-fixtures.js';
import {
  buttonNamed,
  find,
  findAll,
  textOf,
  waitForButton,
  waitForElement,
  waitForText,
} from './support/dom.js';
import {collect, mountPortal, openSection} from './support/portal-mount.js';
import {waitTimeout, waitUntil} from './support/wait-timeout.js';

const day = 24 * 60 * 60 * 1000;

/** Signs in, opens „Rechnung und Versand" and waits for its button. */
async function openBilling(
  email: string,
  template: TemplateResult = html`<conroo-billing-portal></conroo-billing-portal>`,
  {section = 'Rechnung und Versand', button = 'Informationen aktualisieren'} = {},
) {
  signInAs(email);
  const portal = await mountPortal(template);
  await openSection(portal, section);
  const billing = await waitForElement(portal, 'conroo-billing-shipping');
  await waitForButton(billing, button);
  return {portal, billing};
}

async function openForm(billing: Element, label = 'Informationen aktualisieren') {
  buttonNamed(billing, label)!.click();
  return waitForElement(billing, 'conroo-billing-details-form');
}

function control<E extends HTMLElement = HTMLInputElement>(root: Element, id: string): E {
  const found = find<E>(root, `#${id}`);
  expect(found, `#${id}`).to.exist;
  return found!;
}

/** The text of the `<label>` of a control, whitespace collapsed. */
function labelOf(root: Element, id: string): string {
  return textOf(find(root, `label[for="${id}"]`)!);
}

async function type(root: Element, id: string, value: string) {
  const input = control(root, id);
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  await (find(root, 'conroo-billing-details-form') as unknown as {updateComplete: Promise<void>})
    ?.updateComplete;
}

async function leave(root: Element, id: string) {
  control(root, id).blur();
  await (find(root, 'conroo-billing-details-form') as unknown as {updateComplete: Promise<void>})
    ?.updateComplete;
}

async function choose(root: Element, id: string, value: string) {
  const select = control<HTMLSelectElement>(root, id);
  select.value = value;
  select.dispatchEvent(new Event('change', {bubbles: true, composed: true}));
  await (find(root, 'conroo-billing-details-form') as unknown as {updateComplete: Promise<void>})
    ?.updateComplete;
}

function errorOf(root: Element, id: string): string | null {
  const error = find(root, `#${id}-error`);
  return error ? textOf(error) : null;
}

function preview(root: Element): string {
  return textOf(find(root, '[part~="preview"]')!);
}

function clearDrafts() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('conroo-billing-draft:')) localStorage.removeItem(key);
  }
}

describe('<conroo-billing-shipping>', () => {
  before(() => startMockApi());

  beforeEach(() => {
    resetMockApi();
    clearDrafts();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  });

  afterEach(() => clearDrafts());

  describe('the form', () => {
    it('opens with the current details, labelled, with autocomplete, focus on „Name"', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      const expected: Record<string, [string, string, string]> = {
        'field-name': ['Name', 'organization', 'Spedition Nord GmbH'],
        'field-address-line1': ['Straße und Hausnummer', 'address-line1', 'Hafenstraße 1'],
        'field-address-line2': ['Adresszusatz (optional)', 'address-line2', '3. OG'],
        'field-address-postalCode': ['PLZ', 'postal-code', '28195'],
        'field-address-city': ['Ort', 'address-level2', 'Bremen'],
        'field-phone': ['Telefon (optional)', 'tel', '+49 40 999000'],
        'field-shipping-name': ['Empfänger', 'shipping name', 'Spedition Nord GmbH – Lager'],
        'field-shipping-address-line1': [
          'Straße und Hausnummer',
          'shipping address-line1',
          'Containerweg 7',
        ],
        'field-shipping-address-postalCode': ['PLZ', 'shipping postal-code', '27568'],
        'field-shipping-address-city': ['Ort', 'shipping address-level2', 'Bremerhaven'],
        'field-taxId-value': ['Steuer-ID / USt-IdNr. (optional)', 'off', 'DE123456789'],
      };
      for (const [id, [label, autocomplete, value]] of Object.entries(expected)) {
        expect(labelOf(form, id), id).to.equal(label);
        expect(control(form, id).getAttribute('autocomplete'), id).to.equal(autocomplete);
        expect(control(form, id).value, id).to.equal(value);
      }
      const country = control<HTMLSelectElement>(form, 'field-address-country');
      expect(labelOf(form, 'field-address-country')).to.equal('Land');
      expect(country.getAttribute('autocomplete')).to.equal('country');
      expect(country.value).to.equal('DE');
      expect(
        control<HTMLSelectElement>(form, 'field-shipping-address-country').getAttribute(
          'autocomplete',
        ),
      ).to.equal('shipping country');
      expect(control(form, 'shipping-same').checked).to.equal(false);
      expect(find(form, 'form')).to.exist;
      expect(textOf(form)).to.include(
        'Der vollständige rechtliche Name Ihres Unternehmens, so wie er auf der Rechnung stehen soll (z. B. „Spedition Muster GmbH & Co. KG“).',
      );
      expect(control(form, 'field-name').getAttribute('aria-describedby')).to.equal(
        'field-name-hint',
      );
      await waitUntil(() => control(form, 'field-name').matches(':focus'), 'focus on „Name"');
    });

    it('ticks „Lieferadresse wie Rechnungsadresse" without a shipping address; the box hides and shows the block', async () => {
      const {billing} = await openBilling('paypal@example.com');
      const form = await openForm(billing);
      const box = control(form, 'shipping-same');
      expect(box.checked).to.equal(true);
      expect(find(form, '#field-shipping-name')).to.equal(null);
      box.click();
      await waitForElement(form, '#field-shipping-name');
      expect(control(form, 'field-shipping-address-line1').value).to.equal('');
      expect(control<HTMLSelectElement>(form, 'field-shipping-address-country').value).to.equal(
        'DE',
      );
      control(form, 'shipping-same').click();
      await waitUntil(() => !find(form, '#field-shipping-name'), 'the block hides again');
    });

    it('preselects Germany for a customer without an address', async () => {
      const {billing} = await openBilling('ohne-abo@example.com');
      const form = await openForm(billing);
      expect(control<HTMLSelectElement>(form, 'field-address-country').value).to.equal('DE');
      expect(control(form, 'field-name').value).to.equal('');
    });

    it('lists every country by its German name, sorted as German sorts', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      const select = control<HTMLSelectElement>(form, 'field-address-country');
      const options = Array.from(select.options);
      expect(options).to.have.length(COUNTRY_CODES.length);
      const names = options.map((option) => option.textContent.trim());
      expect([...names].sort(new Intl.Collator('de-DE').compare)).to.deep.equal(names);
      expect(select.selectedOptions[0].textContent.trim()).to.equal('Deutschland');
      expect(names).to.include('Österreich');
      expect(names).to.include('Vereinigte Staaten');
    });

    it('lists the countries in English for an English portal', async () => {
      const {billing} = await openBilling(
        'fahrer@example.com',
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
        {section: 'Billing and shipping', button: 'Update information'},
      );
      const form = await openForm(billing, 'Update information');
      const select = control<HTMLSelectElement>(form, 'field-address-country');
      const names = Array.from(select.options).map((option) => option.textContent.trim());
      expect([...names].sort(new Intl.Collator('en-GB').compare)).to.deep.equal(names);
      expect(select.selectedOptions[0].textContent.trim()).to.equal('Germany');
      expect(names).to.include('United States');
      expect(labelOf(form, 'field-address-country')).to.equal('Country');
      expect(labelOf(form, 'field-address-line1')).to.equal('Street and house number');
      expect(textOf(form)).to.include('Shipping address same as billing address');
      expect(preview(form)).to.include('Your next invoice on 15 Jan 2026 will be issued to:');
    });

    it('asks for the state only where the country needs one (US: „Bundesstaat", CA: „Provinz")', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      expect(find(form, '#field-address-state')).to.equal(null);
      await choose(form, 'field-address-country', 'US');
      expect(labelOf(form, 'field-address-state')).to.equal('Bundesstaat');
      expect(control(form, 'field-address-state').getAttribute('autocomplete')).to.equal(
        'address-level1',
      );
      await choose(form, 'field-address-country', 'CA');
      expect(labelOf(form, 'field-address-state')).to.equal('Provinz');
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(() => errorOf(form, 'field-address-state'), 'an error at the region');
      expect(errorOf(form, 'field-address-state')).to.equal(
        'Für Adressen in Kanada wird dieses Feld benötigt.',
      );
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(0);
      await choose(form, 'field-address-country', 'DE');
      expect(find(form, '#field-address-state')).to.equal(null);
    });
  });

  describe('the tax ID', () => {
    it('checks the format when the field is left, at the field, and clears it once fixed', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      expect(textOf(form)).to.include(
        'Die USt-IdNr. Ihres Unternehmens, z. B. DE123456789. Eine deutsche Steuernummer (z. B. 12/345/67890) geht auch.',
      );
      await type(form, 'field-taxId-value', 'DE123');
      expect(errorOf(form, 'field-taxId-value')).to.equal(null);
      await leave(form, 'field-taxId-value');
      const input = control(form, 'field-taxId-value');
      expect(errorOf(form, 'field-taxId-value')).to.equal(
        'Das ist keine gültige Steuer-ID. So sieht sie aus: DE123456789',
      );
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')).to.equal(
        'field-taxId-value-hint field-taxId-value-error',
      );
      expect(preview(form)).to.include('Steuer-ID: bitte prüfen');

      await type(form, 'field-taxId-value', 'de 123 456 789');
      expect(errorOf(form, 'field-taxId-value')).to.equal(null);
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      expect(preview(form)).to.include('USt-IdNr.: DE123456789');
    });

    it('takes a German Steuernummer and shows it as typed', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-taxId-value', '12/345/67890');
      await leave(form, 'field-taxId-value');
      expect(errorOf(form, 'field-taxId-value')).to.equal(null);
      expect(preview(form)).to.include('Steuernummer: 12/345/67890');
    });

    it('uses EL for Greece: the hint shows it and the digits alone become EL…', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await choose(form, 'field-address-country', 'GR');
      expect(textOf(form)).to.include('Die USt-IdNr. Ihres Unternehmens, z. B. EL123456789.');
      expect(textOf(form)).not.to.include('Steuernummer (z. B.');
      await type(form, 'field-taxId-value', '123456789');
      await leave(form, 'field-taxId-value');
      expect(errorOf(form, 'field-taxId-value')).to.equal(null);
      expect(preview(form)).to.include('USt-IdNr.: EL123456789');
      expect(preview(form)).to.include('Griechenland');
    });
  });

  describe('„Ihre Referenz"', () => {
    it('is an optional field after the tax ID that the preview prints, saved and shown on the card', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      expect(labelOf(form, 'field-reference')).to.include('Ihre Referenz');
      expect(labelOf(form, 'field-reference')).to.include('optional');
      expect(control(form, 'field-reference').value).to.equal('');
      await type(form, 'field-reference', '  Bestellnr. 4711 & Co <K> ');
      expect(preview(form)).to.include('Ihre Referenz: Bestellnr. 4711 & Co <K>');
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(requestsTo('PUT', '/api/billing-details')[0].body).to.deep.include({
        reference: 'Bestellnr. 4711 & Co <K>',
      });
      await waitForText(billing, 'Bestellnr. 4711 & Co <K>');
      // Reopened, the form holds the saved reference; emptied, the save removes it.
      const again = await openForm(billing);
      expect(control(again, 'field-reference').value).to.equal('Bestellnr. 4711 & Co <K>');
      await type(again, 'field-reference', '   ');
      buttonNamed(again, 'Speichern')!.click();
      await waitUntil(() => requestsTo('PUT', '/api/billing-details').length === 2, 'second save');
      expect(requestsTo('PUT', '/api/billing-details')[1].body).to.deep.include({reference: null});
    });

    it('says at the field when it is longer than Stripe keeps (140 characters), and sends nothing', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      await type(form, 'field-reference', 'R'.repeat(141));
      await leave(form, 'field-reference');
      expect(errorOf(form, 'field-reference')).to.equal('Bitte höchstens 140 Zeichen.');
      buttonNamed(form, 'Speichern')!.click();
      await (form as unknown as {updateComplete: Promise<void>}).updateComplete;
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(0);
      expect(control(form, 'field-reference').value).to.equal('R'.repeat(141));
    });

    it('takes a draft kept before the field existed, with the saved reference, which the save keeps', async () => {
      changeCustomer('cus_firma', {reference: '991-12345-67'});
      const {reference: _none, ...older} = {
        name: 'Spedition Nord GmbH & Co. KG',
        phone: '',
        address: {
          line1: 'Hafenstraße 1',
          line2: '',
          postalCode: '28195',
          city: 'Bremen',
          country: 'DE',
          state: '',
        },
        shippingSameAsBilling: true,
        shipping: {
          name: '',
          phone: '',
          address: {line1: '', line2: '', postalCode: '', city: '', country: 'DE', state: ''},
        },
        taxId: '',
        reference: '',
      };
      localStorage.setItem(
        draftKey('cus_firma'),
        JSON.stringify({version: 1, savedAt: Date.now(), values: older}),
      );
      const {billing} = await openBilling('firma@example.com', undefined, {button: 'Speichern'});
      const form = find(billing, 'conroo-billing-details-form')!;
      expect(control(form, 'field-name').value).to.equal('Spedition Nord GmbH & Co. KG');
      expect(control(form, 'field-reference').value).to.equal('991-12345-67');
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(requestsTo('PUT', '/api/billing-details')[0].body).to.deep.include({
        reference: '991-12345-67',
      });
    });
  });

  describe('the invoice preview', () => {
    it('shows the renewal date and the block as it will be printed, updating as one types', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      expect(preview(form)).to.include('Ihre nächste Rechnung am 15.01.2026 wird ausgestellt an:');
      expect(preview(form)).to.include('Max Mustermann Am Sandtorkai 50 20457 Hamburg Deutschland');
      expect(preview(form)).to.include(
        'Bereits ausgestellte Rechnungen ändern sich nicht: Stripe übernimmt die Angaben beim Ausstellen in die Rechnung.',
      );
      await type(form, 'field-name', 'Spedition Muster GmbH & Co. KG');
      await type(form, 'field-address-line2', 'Tor 4');
      await choose(form, 'field-address-country', 'AT');
      await type(form, 'field-taxId-value', 'atu 12345678');
      expect(preview(form)).to.include(
        'Spedition Muster GmbH & Co. KG Am Sandtorkai 50 Tor 4 20457 Hamburg Österreich USt-IdNr.: ATU12345678',
      );
    });

    it('falls back to the end of the period and says so for future invoices without a Gate Pass', async () => {
      const {billing} = await openBilling('offen@example.com');
      let form = await openForm(billing);
      // No upcoming invoice (overdue): the end of the current period.
      expect(preview(form)).to.include('Ihre nächste Rechnung am 15.01.2026 wird ausgestellt an:');

      const other = await openBilling('ohne-abo@example.com');
      form = await openForm(other.billing);
      expect(preview(form)).to.include('Künftige Rechnungen werden ausgestellt an:');
      expect(preview(form)).to.include(
        'Die Angaben werden für künftige Rechnungen verwendet. Bereits ausgestellte Rechnungen ändern sich nicht.',
      );
    });
  });

  describe('saving', () => {
    it('sends exactly the request, closes the form, says so, fires the event and updates the overview', async () => {
      const {portal, billing} = await openBilling('firma@example.com');
      const saved = collect<{customer: Customer}>(portal, 'conroo-billing-details-saved');
      const form = await openForm(billing);
      await type(form, 'field-name', '  Spedition Nordlicht GmbH & Co. KG ');
      await type(form, 'field-address-line2', '');
      await type(form, 'field-phone', '');
      await type(form, 'field-taxId-value', '');
      control(form, 'shipping-same').click();
      buttonNamed(form, 'Speichern')!.click();

      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(
        requestsTo('PUT', '/api/billing-details').map((request) => request.body),
      ).to.deep.equal([
        {
          name: 'Spedition Nordlicht GmbH & Co. KG',
          phone: null,
          address: {
            line1: 'Hafenstraße 1',
            line2: null,
            postalCode: '28195',
            city: 'Bremen',
            state: null,
            country: 'DE',
          },
          shipping: null,
          taxId: null,
          reference: null,
        },
      ]);
      expect(find(billing, 'conroo-billing-details-form')).to.equal(null);
      const notice = find(billing, '[part~="notice"]')!;
      expect(notice.getAttribute('role')).to.equal('status');
      await waitUntil(() => notice.matches(':focus'), 'focus on the message');
      expect(saved).to.have.length(1);
      expect(saved[0].customer.name).to.equal('Spedition Nordlicht GmbH & Co. KG');
      await waitForText(billing, 'Rechnungsinformationen');
      expect(textOf(billing)).to.include('Spedition Nordlicht GmbH & Co. KG');
      expect(textOf(billing)).to.include('Keine Steuer-ID hinterlegt');

      await openSection(portal, 'Übersicht');
      const overview = await waitForElement(portal, 'conroo-overview');
      await waitForText(overview, 'Spedition Nordlicht GmbH & Co. KG');
    });

    it('sends a separate shipping address, a region and the tax ID as Stripe stores it', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-name', 'Acme Freight Inc.');
      await type(form, 'field-address-line1', '1 Harbor Way');
      await type(form, 'field-address-postalCode', '94107');
      await type(form, 'field-address-city', 'San Francisco');
      await choose(form, 'field-address-country', 'US');
      await type(form, 'field-address-state', 'CA');
      await type(form, 'field-taxId-value', 'de 987.654.321');
      expect(control(form, 'shipping-same').checked).to.equal(true);
      control(form, 'shipping-same').click();
      await waitForElement(form, '#field-shipping-name');
      await type(form, 'field-shipping-name', 'Acme – Lager Hamburg');
      await type(form, 'field-shipping-address-line1', 'Containerweg 3');
      await type(form, 'field-shipping-address-postalCode', '27568');
      await type(form, 'field-shipping-address-city', 'Bremerhaven');
      await type(form, 'field-shipping-phone', '+49 471 1234');
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(requestsTo('PUT', '/api/billing-details')[0].body).to.deep.equal({
        name: 'Acme Freight Inc.',
        phone: '+49 40 123456',
        address: {
          line1: '1 Harbor Way',
          line2: null,
          postalCode: '94107',
          city: 'San Francisco',
          state: 'CA',
          country: 'US',
        },
        shipping: {
          name: 'Acme – Lager Hamburg',
          phone: '+49 471 1234',
          address: {
            line1: 'Containerweg 3',
            line2: null,
            postalCode: '27568',
            city: 'Bremerhaven',
            state: null,
            country: 'DE',
          },
        },
        taxId: {value: 'DE987654321'},
        reference: null,
      });
      await waitForText(billing, 'Wird geprüft – das dauert meist nur einen Moment.');
    });

    it('disables the buttons and marks the form busy while saving', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.put('*/api/billing-details', async () => {
          await released;
          return undefined;
        }),
      );
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      buttonNamed(form, 'Speichern')!.click();
      const busyButton = await waitForButton(form, 'Wird gespeichert …');
      expect(busyButton.disabled).to.equal(true);
      expect(buttonNamed(form, 'Abbrechen')!.disabled).to.equal(true);
      expect(find(form, 'form')!.getAttribute('aria-busy')).to.equal('true');
      release();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
    });

    it('checks required fields in the browser first and focuses the first one', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-address-city', '');
      await type(form, 'field-name', ' ');
      await type(form, 'field-address-postalCode', '2045');
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(() => control(form, 'field-name').matches(':focus'), 'focus on „Name"');
      expect(errorOf(form, 'field-name')).to.equal('Bitte füllen Sie dieses Feld aus.');
      expect(errorOf(form, 'field-address-city')).to.equal('Bitte füllen Sie dieses Feld aus.');
      expect(errorOf(form, 'field-address-postalCode')).to.equal(
        'Das ist keine Postleitzahl aus Deutschland.',
      );
      expect(control(form, 'field-address-city').getAttribute('aria-describedby')).to.equal(
        'field-address-city-error',
      );
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(0);
      // Fixing a field takes its error away at once.
      await type(form, 'field-address-city', 'Hamburg');
      expect(errorOf(form, 'field-address-city')).to.equal(null);
    });

    it('puts the server’s 422 at the fields, lists unknown ones and keeps every value', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      await type(form, 'field-name', 'Spedition Nord GmbH & Co. KG');
      await type(form, 'field-shipping-address-city', 'Bremerhaven-Mitte');
      failNextBillingDetailsUpdate({
        status: 422,
        fields: {
          'shipping.address.postalCode': fieldError({code: 'postal_code', params: {country: 'DE'}}),
          'taxId.value': fieldError({code: 'tax_id_refused'}),
          'address.line1': fieldError({code: 'too_long', params: {max: 200}}),
          customerNumber: fieldError({code: 'unknown_field'}),
        },
      });
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(() => errorOf(form, 'field-taxId-value'), 'errors at the fields');
      expect(errorOf(form, 'field-shipping-address-postalCode')).to.equal(
        'Das ist keine Postleitzahl aus Deutschland.',
      );
      expect(errorOf(form, 'field-taxId-value')).to.equal(
        'Stripe hat diese Steuer-ID nicht angenommen. Bitte prüfen Sie die Nummer.',
      );
      expect(errorOf(form, 'field-address-line1')).to.equal('Bitte höchstens 200 Zeichen.');
      expect(control(form, 'field-taxId-value').getAttribute('aria-invalid')).to.equal('true');
      const failure = find(billing, '[part~="form-error"]')!;
      expect(textOf(failure)).to.include('customerNumber');
      await waitUntil(() => failure.matches(':focus'), 'focus on the message');
      expect(control(form, 'field-name').value).to.equal('Spedition Nord GmbH & Co. KG');
      expect(control(form, 'field-shipping-address-city').value).to.equal('Bremerhaven-Mitte');
      // Editing a field takes the server's error there away.
      await type(form, 'field-taxId-value', 'DE111111111');
      expect(errorOf(form, 'field-taxId-value')).to.equal(null);
    });

    it('shows its own text per code, whatever the server’s message says', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      // Messages reworded, garbled or misleading: only the codes and params count.
      failNextBillingDetailsUpdate({
        status: 422,
        fields: {
          'shipping.address.postalCode': {
            code: 'postal_code',
            params: {country: 'DE'},
            message: 'at most 7 characters; not a postal code of FR',
          },
          'address.line1': {
            code: 'too_long',
            params: {max: 200},
            message: 'Zeile 1 ist zu lang (max. 12)',
          },
          'taxId.value': {code: 'tax_id', params: {example: 'DE123456789'}, message: 'required'},
          'address.city': {code: 'required', message: 'not an ISO 3166-1 alpha-2 country'},
        },
      });
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(() => errorOf(form, 'field-taxId-value'), 'errors at the fields');
      expect(errorOf(form, 'field-shipping-address-postalCode')).to.equal(
        'Das ist keine Postleitzahl aus Deutschland.',
      );
      expect(errorOf(form, 'field-address-line1')).to.equal('Bitte höchstens 200 Zeichen.');
      expect(errorOf(form, 'field-taxId-value')).to.equal(
        'Das ist keine gültige Steuer-ID. So sieht sie aus: DE123456789',
      );
      expect(errorOf(form, 'field-address-city')).to.equal('Bitte füllen Sie dieses Feld aus.');
    });

    it('says „nicht angenommen" for a code it does not know', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      failNextBillingDetailsUpdate({
        status: 422,
        fields: {
          'address.city': {
            code: 'city_unknown_to_post',
            message: 'required',
          } as unknown as FieldError,
        },
      });
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(() => errorOf(form, 'field-address-city'), 'the error at „Ort"');
      expect(errorOf(form, 'field-address-city')).to.equal(
        'Diese Angabe wurde nicht angenommen. Bitte prüfen Sie sie.',
      );
    });

    it('focuses the first field the server refused when all its paths are known', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      failNextBillingDetailsUpdate({
        status: 422,
        fields: {'address.city': fieldError({code: 'required'})},
      });
      buttonNamed(form, 'Speichern')!.click();
      await waitUntil(
        () => control(form, 'field-address-city').matches(':focus'),
        'focus on „Ort"',
      );
      expect(errorOf(form, 'field-address-city')).to.equal('Bitte füllen Sie dieses Feld aus.');
      expect(textOf(find(billing, '[part~="form-error"]')!)).to.include(
        'Bitte prüfen Sie die markierten Angaben.',
      );
    });

    it('keeps everything typed when Stripe is unavailable (503) and saves on the next try', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-name', 'Spedition Muster GmbH & Co. KG');
      await type(form, 'field-taxId-value', 'DE123456789');
      failNextBillingDetailsUpdate({status: 503});
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Der Zahlungsdienst Stripe ist gerade nicht erreichbar.');
      expect(find(billing, '[part~="form-error"]')!.getAttribute('role')).to.equal('alert');
      expect(control(form, 'field-name').value).to.equal('Spedition Muster GmbH & Co. KG');
      expect(control(form, 'field-taxId-value').value).to.equal('DE123456789');
      expect(buttonNamed(form, 'Speichern')!.disabled).to.equal(false);
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(customerNow('cus_fahrer').name).to.equal('Spedition Muster GmbH & Co. KG');
    });

    it('keeps everything typed when the server cannot be reached', async () => {
      worker.use(http.put('*/api/billing-details', () => Response.error(), {once: true}));
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-address-line1', 'Neuer Wall 1');
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Keine Verbindung zum Server. Es wurde nichts gespeichert');
      expect(control(form, 'field-address-line1').value).to.equal('Neuer Wall 1');
    });

    it('says a save Stripe has not confirmed yet will be done, keeps the form, and tells once it is', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      await type(form, 'field-taxId-value', 'DE111111111');
      failNextBillingDetailsUpdate({pending: true});
      buttonNamed(form, 'Speichern')!.click();
      const pending = await waitForElement(billing, '[part~="form-error"]');
      expect(pending.getAttribute('role')).to.equal('status');
      expect(textOf(pending)).to.equal(
        'Ihre Angaben werden gespeichert, sobald Stripe wieder erreichbar ist. Sie müssen nichts weiter tun – hier steht es, sobald es geschehen ist.',
      );
      expect(control(form, 'field-taxId-value').value).to.equal('DE111111111');
      // The section looks again after Retry-After: still waiting, then done.
      await waitUntil(() => requestsTo('GET', '/api/account').length >= 2, 'a look', {
        timeout: waitTimeout,
      });
      expect(find(billing, '[part~="edit-form"]')).to.exist;
      completePendingSave('cus_firma');
      const notice = await waitForElement(billing, '[part~="notice"]');
      await waitUntil(() => textOf(notice).includes('gespeichert'), 'the saved notice', {
        timeout: waitTimeout,
      });
      expect(textOf(notice)).to.equal('Ihre Rechnungsdaten wurden gespeichert.');
      await waitForText(billing, 'DE111111111');
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(1);
    });

    it('says nothing was saved when the accepted save was refused on the way, keeping the form', async () => {
      const {billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      await type(form, 'field-taxId-value', 'DE111111111');
      failNextBillingDetailsUpdate({pending: true});
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Angaben werden gespeichert, sobald Stripe');
      refusePendingSave('cus_firma');
      await waitForText(billing, 'Die Rechnungsdaten konnten nicht gespeichert werden.');
      expect(find(billing, '[part~="form-error"]')!.getAttribute('role')).to.equal('alert');
      expect(control(form, 'field-taxId-value').value).to.equal('DE111111111');
      expect(find(billing, '[part~="notice"]')).to.equal(null);
    });

    it('closes with „Abbrechen" and sends nothing', async () => {
      const {billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      await type(form, 'field-name', 'Nicht speichern');
      buttonNamed(form, 'Abbrechen')!.click();
      const edit = await waitForButton(billing, 'Informationen aktualisieren');
      await waitUntil(() => edit.matches(':focus'), 'focus back on the button');
      expect(textOf(billing)).not.to.include('Nicht speichern');
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(0);
    });
  });

  describe('a session that ends while editing', () => {
    async function expireWhileSaving() {
      const {portal, billing} = await openBilling('firma@example.com');
      const form = await openForm(billing);
      await type(form, 'field-name', 'Spedition Nord GmbH & Co. KG');
      control(form, 'shipping-same').click();
      await type(form, 'field-taxId-value', 'DE 111 111 111');
      expireSession();
      buttonNamed(form, 'Speichern')!.click();
      await waitForElement(portal, 'input[type=email]');
      return portal;
    }

    it('shows the login with the expired notice and keeps the draft in localStorage, without secrets', async () => {
      const before = Date.now();
      const portal = await expireWhileSaving();
      expect(textOf(portal)).to.include('Ihre Sitzung ist abgelaufen.');
      expect(textOf(portal)).to.include(
        'Ihre Eingaben unter „Rechnung und Versand“ sind in diesem Browser gespeichert',
      );
      const raw = localStorage.getItem('conroo-billing-draft:cus_firma')!;
      expect(raw).to.be.a('string');
      const draft = JSON.parse(raw);
      expect(draft.savedAt).to.be.within(before, Date.now());
      expect(draft.values.name).to.equal('Spedition Nord GmbH & Co. KG');
      expect(draft.values.shippingSameAsBilling).to.equal(true);
      expect(draft.values.taxId).to.equal('DE 111 111 111');
      expect(Object.keys(draft).sort()).to.deep.equal(['savedAt', 'values', 'version']);
      expect(raw).not.to.include('firma@example.com');
      expect(raw.toLowerCase()).not.to.include('token');
    });

    it('restores the draft into the form after logging in again with the mailed link', async () => {
      const portal = await expireWhileSaving();
      history.replaceState(
        null,
        '',
        `${location.pathname}${location.search}#conroo-portal-token=token-firma`,
      );
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      const billing = await restoredSection(portal);
      const form = find(billing, 'conroo-billing-details-form')!;
      expect(control(form, 'field-name').value).to.equal('Spedition Nord GmbH & Co. KG');
      expect(textOf(billing)).to.include(
        'Ihr Entwurf wurde wiederhergestellt – bitte prüfen und speichern.',
      );
      expect(requestsTo('POST', '/api/auth/session')[0].body).to.deep.equal({
        token: 'token-firma',
      });
    });

    async function restoredSection(portal: Element) {
      const billing = await waitForElement(portal, 'conroo-billing-shipping');
      const form = await waitForElement(billing, 'conroo-billing-details-form');
      await waitForElement(form, '#field-name');
      return billing;
    }

    it('opens „Rechnung und Versand" with the draft and a notice in another tab after login', async () => {
      await expireWhileSaving();
      signInAs('firma@example.com');
      const portal = await mountPortal();
      const billing = await restoredSection(portal);
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Rechnung und Versand',
      );
      const form = find(billing, 'conroo-billing-details-form')!;
      expect(control(form, 'field-name').value).to.equal('Spedition Nord GmbH & Co. KG');
      expect(control(form, 'shipping-same').checked).to.equal(true);
      expect(control(form, 'field-taxId-value').value).to.equal('DE 111 111 111');
      const notice = find(billing, '[part~="draft-notice"]')!;
      expect(textOf(notice)).to.include(
        'Ihr Entwurf wurde wiederhergestellt – bitte prüfen und speichern.',
      );
      await waitUntil(() => notice.matches(':focus'), 'focus on the notice');
      buttonNamed(form, 'Speichern')!.click();
      await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
      expect(localStorage.getItem('conroo-billing-draft:cus_firma')).to.equal(null);
      expect(customerNow('cus_firma').name).to.equal('Spedition Nord GmbH & Co. KG');
    });

    it('keeps no draft of a form that was opened but not changed', async () => {
      const {portal, billing} = await openBilling('fahrer@example.com');
      const form = await openForm(billing);
      expireSession();
      buttonNamed(form, 'Speichern')!.click();
      await waitForElement(portal, 'input[type=email]');
      expect(localStorage.getItem(draftKey('cus_fahrer'))).to.equal(null);
      expect(textOf(portal)).to.include('Ihre Sitzung ist abgelaufen.');
      expect(textOf(portal)).not.to.include('in diesem Browser gespeichert');
    });

    it('ignores and removes a draft older than 24 hours', async () => {
      const values = {...valuesFromCustomer(customers.cus_fahrer.account.customer), name: 'Alt'};
      saveDraft('cus_fahrer', values, Date.now() - day - 1000);
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Übersicht',
      );
      expect(localStorage.getItem(draftKey('cus_fahrer'))).to.equal(null);
      await openSection(portal, 'Rechnung und Versand');
      const billing = await waitForElement(portal, 'conroo-billing-shipping');
      await waitForButton(billing, 'Informationen aktualisieren');
      expect(find(billing, 'conroo-billing-details-form')).to.equal(null);
    });

    it('removes the draft with „Entwurf verwerfen" and shows the saved details', async () => {
      const values = {...valuesFromCustomer(customers.cus_fahrer.account.customer), name: 'Neu'};
      saveDraft('cus_fahrer', values, Date.now() - 60_000);
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      const billing = await restoredSection(portal);
      expect(control(find(billing, 'conroo-billing-details-form')!, 'field-name').value).to.equal(
        'Neu',
      );
      buttonNamed(billing, 'Entwurf verwerfen')!.click();
      const edit = await waitForButton(billing, 'Informationen aktualisieren');
      await waitUntil(() => edit.matches(':focus'), 'focus on the button');
      expect(localStorage.getItem(draftKey('cus_fahrer'))).to.equal(null);
      expect(textOf(billing)).to.include('Max Mustermann');
      expect(requestsTo('PUT', '/api/billing-details')).to.have.length(0);
    });

    it('does not restore a draft of another customer', async () => {
      saveDraft('cus_firma', valuesFromCustomer(customers.cus_firma.account.customer));
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      await openSection(portal, 'Rechnung und Versand');
      const billing = await waitForElement(portal, 'conroo-billing-shipping');
      await waitForButton(billing, 'Informationen aktualisieren');
      expect(find(billing, 'conroo-billing-details-form')).to.equal(null);
      expect(localStorage.getItem(draftKey('cus_firma'))).not.to.equal(null);
    });
  });

  describe('the tax ID’s verification', () => {
    const cases: Array<[string, Customer['taxIds'][number]['verification'], string]> = [
      [
        'pending',
        {status: 'pending', verifiedName: null},
        'Wird geprüft – das dauert meist nur einen Moment.',
      ],
      [
        'verified',
        {status: 'verified', verifiedName: 'Spedition Nord GmbH'},
        'Vom Steueramt bestätigt, eingetragen auf: Spedition Nord GmbH',
      ],
      [
        'verified without a name',
        {status: 'verified', verifiedName: null},
        'Vom Steueramt bestätigt.',
      ],
      [
        'unverified',
        {status: 'unverified', verifiedName: null},
        'Konnte nicht bestätigt werden – bitte prüfen Sie die Nummer.',
      ],
      [
        'unavailable',
        {status: 'unavailable', verifiedName: null},
        'Für diese Art von Steuer-ID gibt es keine automatische Prüfung.',
      ],
    ];
    for (const [name, verification, text] of cases) {
      it(`explains „${name}"`, async () => {
        changeCustomer('cus_firma', {
          taxIds: [{id: 'txi_1', type: 'eu_vat', value: 'DE123456789', verification}],
        });
        const {billing} = await openBilling('firma@example.com');
        expect(textOf(find(billing, '[data-tax-id="txi_1"]')!)).to.include(text);
      });
    }
  });

  describe('in English', () => {
    it('names everything in English, including errors and the saved message', async () => {
      const {billing} = await openBilling(
        'fahrer@example.com',
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
        {section: 'Billing and shipping', button: 'Update information'},
      );
      const form = await openForm(billing, 'Update information');
      await type(form, 'field-taxId-value', 'DE123');
      await leave(form, 'field-taxId-value');
      expect(errorOf(form, 'field-taxId-value')).to.equal(
        'This is not a valid tax ID. It looks like this: DE123456789',
      );
      const german = /[äöüßÄÖÜ]|\b(und|der|die|das|Sie|Ihre?|nicht|keine?)\b/;
      // Everything but the country names (some of which are written with umlauts in English).
      const words = findAll(form, 'label, legend, .hint, .field-error, [part~="preview"], button')
        .map(textOf)
        .join(' ');
      expect(words).to.include('Street and house number');
      expect(words).to.include('(e.g. “Spedition Muster GmbH & Co. KG”)');
      expect(words).not.to.match(german);
      await type(form, 'field-taxId-value', '');
      buttonNamed(form, 'Save')!.click();
      await waitForText(billing, 'Your billing details have been saved.');
    });
  });
});
