import {expect} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../widget/index.js';
import {find, findAll, textOf} from './support/dom.js';
import {portalViews, usePortalViews, type PortalView} from './support/portal-views.js';
import {waitUntil} from './support/wait-timeout.js';

// Errors a screen reader must hear: a field's error is its description, and every message
// that appears after an action sits in a live region (`role="alert"` or `role="status"`).

function view(name: string): PortalView {
  const found = portalViews.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No view „${name}" in portal-views.ts`);
  return found;
}

/** The text of the elements that `aria-describedby` of `control` points at. */
function descriptionOf(control: Element): string {
  const root = control.getRootNode() as Document | ShadowRoot;
  return (control.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id))
    .map((element) => (element ? textOf(element) : ''))
    .join(' ');
}

/** The parent of `node`, or the host of the shadow root it is the top of. */
function parentOf(node: Element): Element | null {
  return node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
}

/** The live region `element` is in (itself or an ancestor across shadow roots), if any. */
function liveRegionOf(element: Element): Element | null {
  for (let node: Element | null = element; node; node = parentOf(node)) {
    if (
      /^(alert|status)$/.test(node.getAttribute('role') ?? '') ||
      node.hasAttribute('aria-live')
    ) {
      return node;
    }
  }
  return null;
}

/** The element focus is on, looking into shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Every control marked invalid with its description, as „#id: text". */
function invalidControls(portal: Element): string[] {
  return findAll(portal, '[aria-invalid="true"]').map(
    (control) => `#${control.id}: ${descriptionOf(control)}`,
  );
}

/** Field errors that no control names in its `aria-describedby`. */
function untiedFieldErrors(portal: Element): string[] {
  const described = new Set(
    findAll(portal, '[aria-describedby]').flatMap((control) =>
      (control.getAttribute('aria-describedby') ?? '').split(/\s+/),
    ),
  );
  return findAll(portal, '.field-error')
    .filter((error) => !described.has(error.id))
    .map((error) => textOf(error));
}

describe('errors are announced', () => {
  usePortalViews();

  describe('in every view, each field error belongs to its field', () => {
    for (const each of portalViews) {
      it(`in ${each.name}`, async () => {
        const portal = await each.open('de');
        for (const control of findAll(portal, '[aria-invalid="true"]')) {
          expect(descriptionOf(control), `the description of #${control.id}`).not.to.equal('');
        }
        expect(untiedFieldErrors(portal), 'field errors no field points at').to.deep.equal([]);
      });
    }
  });

  it('ties the login field’s error to it, says it at once and keeps focus there', async () => {
    const portal = await view('the login form with a field error after an invalid address').open(
      'de',
    );
    const input = find<HTMLInputElement>(portal, 'input[type=email]')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(descriptionOf(input)).to.include('Bitte geben Sie eine gültige E-Mail-Adresse ein.');
    const error = find(portal, '#email-error')!;
    expect(liveRegionOf(error)?.getAttribute('role')).to.equal('alert');
    await waitUntil(() => focused() === input, 'focus on the e-mail field');
  });

  it('says why no link could be requested in an alert', async () => {
    const portal = await view('the login form with a form error and „Erneut versuchen"').open('de');
    const error = find(portal, '[part~="error"]')!;
    expect(liveRegionOf(error)?.getAttribute('role')).to.equal('alert');
    expect(textOf(error)).to.include('nicht erreichbar');
  });

  it('says that the mail was sent again in a status region that was there before', async () => {
    const portal = await view('the check-mail view').open('de');
    const checkMail = find(portal, 'conroo-check-mail')!;
    const region = find(checkMail, '[role="status"]')!;
    expect(textOf(region)).to.equal('');
    find<HTMLButtonElement>(checkMail, '.actions button:last-child')!.click();
    await waitUntil(() => textOf(region).includes('erneut gesendet'), 'the confirmation');
    expect(find(checkMail, '[role="status"]')).to.equal(region);
  });

  it('tells a login notice (e.g. an expired link) in a status region', async () => {
    const portal = await view('the login form with the notice link_expired').open('de');
    const notice = find(portal, '[part~="notice"]')!;
    expect(liveRegionOf(notice)?.getAttribute('role')).to.equal('status');
    expect(textOf(notice)).to.include('abgelaufen');
  });

  it('ties every missing billing field to its error and focuses the first', async () => {
    const portal = await view('„Informationen aktualisieren" with empty required fields').open(
      'de',
    );
    const invalid = invalidControls(portal);
    expect(invalid.length).to.be.above(2);
    for (const line of invalid) {
      expect(line).to.match(/: .*Bitte füllen Sie dieses Feld aus\./);
    }
    await waitUntil(() => focused()?.id === 'field-name', 'focus on „Name"');
  });

  it('says the field again when Enter in it finds it empty (focus leaves and comes back)', async () => {
    const portal = await view(
      '„Informationen aktualisieren" with a separate shipping address',
    ).open('de');
    const name = find<HTMLInputElement>(portal, '#field-name')!;
    await waitUntil(() => focused() === name, 'focus on „Name" as the form opens');
    name.value = '';
    name.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    let focusEvents = 0;
    name.addEventListener('focus', () => focusEvents++);
    await sendKeys({press: 'Enter'});
    await waitUntil(() => name.getAttribute('aria-invalid') === 'true', '„Name" marked');
    await waitUntil(() => focusEvents === 1, 'focus given to „Name" anew');
    expect(focused()).to.equal(name);
    expect(descriptionOf(name)).to.include('Bitte füllen Sie dieses Feld aus.');
  });

  it('says the card number again when Enter in it finds it empty', async () => {
    const portal = await view('„Zahlungsmethode hinzufügen" with the demo card form').open('de');
    const number = find<HTMLInputElement>(portal, '#card-number')!;
    await waitUntil(() => focused() === number, 'focus on the card number as the form opens');
    let focusEvents = 0;
    number.addEventListener('focus', () => focusEvents++);
    await sendKeys({press: 'Enter'});
    await waitUntil(() => number.getAttribute('aria-invalid') === 'true', 'the number marked');
    await waitUntil(() => focusEvents === 1, 'focus given to the number anew');
    expect(descriptionOf(number)).to.equal('Bitte geben Sie die Kartennummer ein.');
  });

  it('puts the server’s field errors at the fields and says so in an alert', async () => {
    const portal = await view('„Informationen aktualisieren" with the server’s field errors').open(
      'de',
    );
    const described = (id: string) => descriptionOf(find(portal, `#${id}`)!);
    expect(described('field-taxId-value')).to.include(
      'Stripe hat diese Steuer-ID nicht angenommen. Bitte prüfen Sie die Nummer.',
    );
    expect(described('field-address-line1')).to.equal('Bitte höchstens 200 Zeichen.');
    expect(described('field-shipping-address-postalCode')).to.equal(
      'Das ist keine Postleitzahl aus Deutschland.',
    );
    for (const id of ['field-taxId-value', 'field-address-line1']) {
      expect(find(portal, `#${id}`)!.getAttribute('aria-invalid')).to.equal('true');
    }
    const failure = find(portal, '[part~="form-error"]')!;
    expect(liveRegionOf(failure)?.getAttribute('role')).to.equal('alert');
  });

  it('says in an alert that Stripe is unavailable and nothing was saved', async () => {
    const portal = await view('„Informationen aktualisieren" when Stripe is unavailable').open(
      'de',
    );
    const failure = find(portal, '[part~="form-error"]')!;
    expect(failure.getAttribute('role')).to.equal('alert');
    await waitUntil(() => focused() === failure, 'focus on the message');
  });

  it('tells that the billing details were saved in a status region, with focus on it', async () => {
    const portal = await view('„Rechnung und Versand" after saving').open('de');
    const notice = find(find(portal, 'conroo-billing-shipping')!, '[part~="notice"]')!;
    expect(notice.getAttribute('role')).to.equal('status');
    expect(textOf(notice)).to.include('gespeichert');
    await waitUntil(() => focused() === notice, 'focus on the notice');
  });

  it('ties the demo card fields to their errors', async () => {
    const portal = await view('„Zahlungsmethode hinzufügen" with the card fields marked').open(
      'de',
    );
    expect(invalidControls(portal)).to.deep.equal([
      '#card-number: Bitte geben Sie die Kartennummer ein.',
      '#card-expiry: Bitte geben Sie das Ablaufdatum als MM/JJ ein.',
      '#card-cvc: Bitte geben Sie die Prüfnummer (3 oder 4 Ziffern) ein.',
    ]);
    await waitUntil(() => focused()?.id === 'card-number', 'focus on the card number');
  });

  it('says in an alert that the card was declined', async () => {
    const portal = await view('„Zahlungsmethode hinzufügen" with a declined card').open('de');
    const error = find(portal, '[part~="form-error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(textOf(error)).to.match(/abgelehnt/);
  });

  it('tells a new default in a status region, with focus on it', async () => {
    const portal = await view('„Zahlungsmethoden" after choosing another default').open('de');
    const notice = find(find(portal, 'conroo-payment-methods')!, '[part~="notice"]')!;
    expect(notice.getAttribute('role')).to.equal('status');
    await waitUntil(() => focused() === notice, 'focus on the notice');
  });

  it('says at the method in an alert why it cannot be removed', async () => {
    const portal = await view('„Zahlungsmethoden" when the default cannot be removed').open('de');
    const error = find(portal, '[data-payment-method="pm_visa"] [role="alert"]')!;
    expect(textOf(error)).not.to.equal('');
  });

  for (const [name, selector] of [
    ['the start error with „Erneut versuchen"', '[part~="error"]'],
    ['an overview that could not load', '[part~="error"]'],
    ['„Rechnungen" when a PDF cannot be downloaded', '[part~="download-error"]'],
    ['„Rechnungen" when „Mehr laden" fails', '.more [role="alert"]'],
    ['the dashboard when logging out fails', '.content > .banner'],
  ]) {
    it(`says it in an alert: ${name}`, async () => {
      const portal = await view(name).open('de');
      const message = find(portal, selector)!;
      expect(message, selector).to.exist;
      expect(liveRegionOf(message)?.getAttribute('role')).to.equal('alert');
      expect(textOf(message)).not.to.equal('');
    });
  }

  it('marks loading as a status', async () => {
    const portal = await view('the loading state').open('de');
    expect(find(portal, '[part~="loading"]')!.getAttribute('role')).to.equal('status');
  });
});
