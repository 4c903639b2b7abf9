import {expect} from '@open-wc/testing';
import {http, HttpResponse} from 'msw';
import '../../widget/index.js';
import {find, findAll, textOf, waitForButton, waitForElement, waitForText} from './support/dom.js';
import {
  clearBulkFailures,
  failBulkSaveOf,
  holdBulkRequestsFor,
} from './support/carrier-api-mock.js';
import {bulkState, chip, fillCompany, listedIds, openFleet, row, select} from './support/fleet.js';
import {
  customerNow,
  fieldError,
  requestsTo,
  resetMockApi,
  startMockApi,
  worker,
} from './support/portal-api-mock.js';
import {collect} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

/** The bulk requests' customer IDs, request by request. */
const sentChunks = () =>
  requestsTo('PUT', '/api/fleet/billing-details').map(
    (request) => (request.body as {customerIds: string[]}).customerIds,
  );

async function openBulkForm(fleet: Element) {
  const open = await waitForButton(fleet, 'Rechnungsdaten für Auswahl ändern');
  await waitUntil(() => !open.disabled, '„Rechnungsdaten für Auswahl ändern" enabled');
  open.click();
  return fillCompany(fleet);
}

function submit(form: Element) {
  find<HTMLButtonElement>(form, '[part~="submit"]')!.click();
}

describe('„Fahrer": the same billing details for many drivers', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('chooses every listed driver with „Alle auswählen" and only those the filter lists', async () => {
    const {fleet} = await openFleet();
    chip(fleet, 'private-billing').click();
    await waitUntil(() => listedIds(fleet).length === 5);
    find<HTMLInputElement>(fleet, 'input.select-all')!.click();
    await waitForText(fleet, 'Ausgewählt: 5');
    expect(findAll<HTMLInputElement>(fleet, 'input.select').every((box) => box.checked)).to.equal(
      true,
    );
    chip(fleet, 'private-billing').click();
    await waitUntil(() => listedIds(fleet).length === 7);
    const all = find<HTMLInputElement>(fleet, 'input.select-all')!;
    expect(all.indeterminate).to.equal(true);
    expect(find<HTMLInputElement>(row(fleet, 'cus_firma'), 'input.select')!.checked).to.equal(
      false,
    );
  });

  it('sends the chosen drivers five at a time and shows each row’s result as its answer arrives', async () => {
    const {portal, fleet} = await openFleet();
    const saved = collect<{customerIds: string[]}>(portal, 'conroo-fleet-billing-details-saved');
    find<HTMLInputElement>(fleet, 'input.select-all')!.click();
    await waitForText(fleet, 'Ausgewählt: 7');
    const form = await openBulkForm(fleet);
    const listed = listedIds(fleet);
    // The first five are held back: the last two come first.
    const release = holdBulkRequestsFor(listed.slice(0, 5));
    submit(form);
    await waitUntil(
      () => listed.slice(5).every((id) => bulkState(fleet, id) === 'saved'),
      'the second chunk saved',
    );
    expect(listed.slice(0, 5).map((id) => bulkState(fleet, id))).to.deep.equal(
      Array(5).fill('saving'),
    );
    expect(textOf(row(fleet, listed[0]))).to.include('Wird gespeichert …');
    expect(textOf(find(fleet, '[part~="bulk-results"]')!)).to.include('erledigt: 2 von 7');
    release();
    await waitUntil(() => listed.every((id) => bulkState(fleet, id) === 'saved'), 'all saved');
    expect(sentChunks()).to.deep.equal([listed.slice(0, 5), listed.slice(5)]);
    expect(requestsTo('PUT', '/api/fleet/billing-details')[0].body).to.deep.include({
      details: {
        name: 'Spedition Hanse GmbH',
        phone: null,
        address: {
          line1: 'Am Sandtorkai 50',
          line2: null,
          postalCode: '20457',
          city: 'Hamburg',
          state: null,
          country: 'DE',
        },
        shipping: null,
        taxId: {value: 'DE123456789'},
      },
    });
    const summary = await waitForElement(fleet, '[part~="bulk-results"]');
    await waitForText(summary, 'Rechnungsdaten: gespeichert 7, fehlgeschlagen 0');
    await waitUntil(() => summary.matches(':focus'), 'focus on the summary');
    expect(find(fleet, 'conroo-billing-details-form')).to.equal(null);
    expect(textOf(row(fleet, 'cus_nowak'))).to.include('Spedition Hanse GmbH DE123456789');
    expect(customerNow('cus_nowak').name).to.equal('Spedition Hanse GmbH');
    expect(saved.map((detail) => [...detail.customerIds].sort())).to.deep.equal([
      [...listed].sort(),
    ]);
  });

  it('says why a driver failed and tries only the failed ones again', async () => {
    const {fleet} = await openFleet();
    failBulkSaveOf('cus_paypal', {code: 'stripe_unavailable', message: 'down'});
    failBulkSaveOf('cus_offen', {code: 'not_found', message: 'gone'});
    for (const id of ['cus_fahrer', 'cus_paypal', 'cus_offen']) select(fleet, id);
    submit(await openBulkForm(fleet));
    const summary = await waitForElement(fleet, '[part~="bulk-results"]');
    await waitForText(summary, 'Rechnungsdaten: gespeichert 1, fehlgeschlagen 2');
    expect(textOf(row(fleet, 'cus_paypal'))).to.include(
      'Fehlgeschlagen Der Zahlungsdienst Stripe war nicht erreichbar.',
    );
    expect(textOf(row(fleet, 'cus_offen'))).to.include(
      'Dieser Fahrer gehört nicht (mehr) zu Ihren Konten.',
    );
    expect(bulkState(fleet, 'cus_fahrer')).to.equal('saved');

    clearBulkFailures();
    (await waitForButton(fleet, 'Fehlgeschlagene erneut versuchen')).click();
    await waitForText(fleet, 'Rechnungsdaten: gespeichert 2, fehlgeschlagen 0');
    expect(sentChunks().at(-1)!.sort()).to.deep.equal(['cus_offen', 'cus_paypal']);
    expect(bulkState(fleet, 'cus_paypal')).to.equal('saved');
    expect(bulkState(fleet, 'cus_fahrer')).to.equal('saved');
  });

  it('keeps what was typed on a 422 and marks the fields as the single form does', async () => {
    const {fleet} = await openFleet();
    let sent = 0;
    worker.use(
      http.put('*/api/fleet/billing-details', () => {
        sent += 1;
        return HttpResponse.json(
          {
            error: {
              code: 'validation_failed',
              message: 'invalid',
              fields: {'taxId.value': fieldError({code: 'tax_id_refused'})},
            },
          },
          {status: 422},
        );
      }),
    );
    for (const id of ['cus_fahrer', 'cus_paypal']) select(fleet, id);
    const form = await openBulkForm(fleet);
    submit(form);
    await waitForText(form, 'Stripe hat diese Steuer-ID nicht angenommen.');
    expect(textOf(fleet)).to.include(
      'Bitte prüfen Sie die markierten Angaben. Es wurde nichts gespeichert.',
    );
    const taxId = find<HTMLInputElement>(form, '#field-taxId-value')!;
    expect(taxId.getAttribute('aria-invalid')).to.equal('true');
    expect(taxId.value).to.equal('DE123456789');
    expect(find<HTMLInputElement>(form, '#field-name')!.value).to.equal('Spedition Hanse GmbH');
    await waitUntil(() => taxId.matches(':focus'), 'focus on the refused field');
    expect(bulkState(fleet, 'cus_fahrer')).to.equal(null);
    // Two drivers are one chunk: nothing more was sent after the 422.
    expect(sent).to.equal(1);
  });

  it('closes the form with „Abbrechen" and sends nothing', async () => {
    const {fleet} = await openFleet();
    select(fleet, 'cus_fahrer');
    const form = await openBulkForm(fleet);
    find<HTMLButtonElement>(form, '[part~="cancel"]')!.click();
    await waitUntil(() => !find(fleet, 'conroo-billing-details-form'));
    expect(sentChunks()).to.deep.equal([]);
  });
});
