/**
 * The mails of carrier access: the grant mail (a login link for the carrier; limited like login
 * mails; the same answer whether or not the carrier is a customer) and the owner's notice of
 * every change (what, by whom, when; in the customer's language).
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {carrierAddress, grant, loginAs, loginWithNewestMail, mailsTo} from './carrier-harness.js';
import {startPortalWithStripe, type Client, type Portal} from './harness.js';

const nextYear = String(new Date().getUTCFullYear() + 2);

/** What the Stripe.js stand-in does: confirms a SetupIntent with a card at /dev/stripe. */
async function addCard(portal: Portal, client: Client): Promise<string> {
  const created = await client.post('/api/payment-methods/setup-intents', {});
  assert.equal(created.status, 201);
  const secret = created.body.clientSecret as string;
  const id = secret.slice(0, secret.indexOf('_secret_'));
  const response = await fetch(`${portal.url}/dev/stripe/v1/setup_intents/${id}/confirm`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      key: 'pk_test_demo',
      client_secret: secret,
      return_url: `${portal.url}/kundenportal`,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': '5555555555554444',
      'payment_method_data[card][exp_month]': '12',
      'payment_method_data[card][exp_year]': nextYear,
      'payment_method_data[card][cvc]': '123',
    }).toString(),
  });
  assert.equal(response.status, 200);
  return id;
}

/** The notices to `owner` that came after the first `before` mails, oldest first. */
async function noticesTo(portal: Portal, owner: string, before: number) {
  const mails = await mailsTo(portal, owner);
  return mails.slice(0, mails.length - before).reverse();
}

describe('carrier mails', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe({env: {MAIL_RETRY_DELAYS_MS: '10,20'}}));
  });
  after(() => portal.close());

  it('mails the carrier a login link in the language asked for, else the owner’s, else German', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.card);
    const polish = carrierAddress();
    await grant(portal, owner, polish, 'pl-PL');
    const [pl] = await mailsTo(portal, polish);
    assert.equal(
      pl.subject,
      'Kierowca Jan Kowalski przyznał Twojej firmie przewozowej dostęp do swojego Gate Pass',
    );
    assert.ok(pl.link, 'a login link');
    const german = carrierAddress();
    await grant(portal, owner, german);
    const [de] = await mailsTo(portal, german);
    assert.equal(
      de.subject,
      'Fahrer Jan Kowalski hat Ihrer Spedition Zugriff auf seinen Gate Pass gegeben',
    );
    assert.match(de.text, /Der Link ist 24 Stunden gültig/);
    // The link is a normal login link for the carrier's address, landing on that driver.
    const spedition = await loginWithNewestMail(portal, german);
    const session = await spedition.get('/api/session');
    assert.equal(session.body.email, german);
    assert.equal(session.body.activeCustomerId, SEEDED_CUSTOMER_IDS.card);
    for (const carrier of [polish, german]) {
      await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    }
  });

  it('answers alike for a carrier that is a CONROO customer and one that is not, and mails both', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.company);
    const stranger = carrierAddress();
    const known = await owner.post('/api/carrier-access', {email: SEEDED_EMAILS.failedRenewal});
    const unknown = await owner.post('/api/carrier-access', {email: stranger});
    assert.equal(known.status, unknown.status);
    assert.deepEqual(Object.keys(known.body), Object.keys(unknown.body));
    assert.equal((await mailsTo(portal, stranger)).length, 1);
    const toKnown = await mailsTo(portal, SEEDED_EMAILS.failedRenewal);
    assert.match(toKnown[0].subject, /Hafenlogistik Nord GmbH hat Ihrer Spedition Zugriff/);
    // A customer that is also a carrier holds its own Gate Pass and the one it was given.
    const both = await loginWithNewestMail(portal, SEEDED_EMAILS.failedRenewal);
    const accounts = (await both.get('/api/session')).body.accounts as Array<{access: string}>;
    assert.deepEqual(
      accounts.map((a) => a.access),
      ['owner', 'carrier'],
    );
    for (const carrier of [SEEDED_EMAILS.failedRenewal, stranger]) {
      await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    }
  });

  it('lets a carrier ask for a login link itself, as a driver does', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.paypal);
    const carrier = carrierAddress();
    await grant(portal, owner, carrier);
    const spedition = await loginAs(portal, carrier);
    assert.equal((await spedition.get('/api/account')).status, 200);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    // Without any access left the address is unknown again: 202 and no mail.
    const before = (await mailsTo(portal, carrier)).length;
    const answer = await portal.client().post('/api/auth/email-link', {email: carrier});
    assert.equal(answer.status, 202);
    assert.equal((await mailsTo(portal, carrier)).length, before);
  });

  it('limits grant mails per address silently (the grant still answers 201)', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.manyInvoices);
    const carrier = carrierAddress();
    for (let i = 0; i < 4; i++) {
      await grant(portal, owner, carrier);
      assert.equal(
        (await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`)).status,
        204,
      );
    }
    assert.equal((await mailsTo(portal, carrier)).length, 3, 'three per 15 minutes');
  });

  it('tells the owner of every change by a carrier: what, by whom, when', async () => {
    const ownerEmail = SEEDED_EMAILS.card;
    const owner = await loginAs(portal, ownerEmail);
    const carrier = carrierAddress();
    const before = (await mailsTo(portal, ownerEmail)).length;
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);

    const setupIntentId = await addCard(portal, spedition);
    for (let i = 0; i < 2; i++) {
      const added = await spedition.post('/api/payment-methods/setup-intents/complete', {
        setupIntentId,
      });
      assert.equal(added.status, 200);
    }
    const methods = (await spedition.get('/api/payment-methods')).body.paymentMethods as Array<{
      id: string;
      isDefault: boolean;
    }>;
    const visa = methods.find((m) => !m.isDefault)!;
    assert.equal((await spedition.post(`/api/payment-methods/${visa.id}/default`)).status, 200);
    const mastercard = methods.find((m) => m.isDefault)!;
    assert.equal((await spedition.delete(`/api/payment-methods/${mastercard.id}`)).status, 204);
    const saved = await spedition.request('PUT', '/api/billing-details', {
      body: {
        name: 'Jan Kowalski',
        address: {line1: 'Am Sandtorkai 1', postalCode: '20457', city: 'Hamburg', country: 'DE'},
        shipping: null,
        taxId: null,
      },
    });
    assert.equal(saved.status, 200);
    assert.equal((await spedition.delete(`/api/fleet/${SEEDED_CUSTOMER_IDS.card}`)).status, 204);

    const notices = await noticesTo(portal, ownerEmail, before);
    assert.deepEqual(
      notices.map((n) => n.text.split('\n')[4]),
      [
        `Zugriff für die Spedition ${carrier} gegeben`,
        'Zahlungsmethode hinzugefügt: Mastercard •••• 4444',
        'Neue Standard-Zahlungsmethode: Visa •••• 4242',
        'Zahlungsmethode entfernt: Mastercard •••• 4444',
        'Rechnungs- und Versanddaten geändert',
        `Die Spedition ${carrier} hat ihren Zugriff zurückgegeben`,
      ],
      'one notice per change, the repeated completion of one SetupIntent none',
    );
    for (const notice of notices) {
      assert.equal(notice.subject, 'Änderung an Ihrem Gate Pass');
      assert.match(notice.text, /^Gate Pass: Jan Kowalski$/m);
      assert.match(notice.text, /^Zeitpunkt: \d{1,2}\. \p{L}+ \d{4} um \d\d:\d\d MES?Z$/mu);
      assert.equal(notice.link, null, 'no login token in a notice');
    }
    assert.match(notices[0].text, new RegExp(`^Geändert von: ${ownerEmail}$`, 'm'));
    for (const notice of notices.slice(1)) {
      assert.match(notice.text, new RegExp(`^Geändert von: ${carrier}$`, 'm'));
    }
    assert.equal((await spedition.get('/api/account')).status, 404, 'given back');
  });

  it('writes the notice in the customer’s preferred language, and the end of an access too', async () => {
    await stripe.customers.update(SEEDED_CUSTOMER_IDS.twoAccountsSecond, {
      preferred_locales: ['pl'],
    });
    await portal.emulator!.webhooksIdle();
    const ownerEmail = SEEDED_EMAILS.twoAccounts;
    const owner = await loginAs(portal, ownerEmail);
    const switched = await owner.post('/api/session/account', {
      customerId: SEEDED_CUSTOMER_IDS.twoAccountsSecond,
    });
    assert.equal(switched.status, 200);
    const carrier = carrierAddress();
    const before = (await mailsTo(portal, ownerEmail)).length;
    await grant(portal, owner, carrier);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    const notices = await noticesTo(portal, ownerEmail, before);
    assert.deepEqual(
      notices.map((n) => [n.subject, n.text.split('\n')[4]]),
      [
        ['Zmiana w Twoim Gate Pass', `Przyznano dostęp przewoźnikowi ${carrier}`],
        ['Zmiana w Twoim Gate Pass', `Zakończono dostęp przewoźnika ${carrier}`],
      ],
    );
    assert.match(notices[0].html, /<html lang="pl">/);
  });

  it('tells the owner of a bulk save answered save_pending once it completes later', async () => {
    const ownerEmail = SEEDED_EMAILS.manyInvoices;
    const customerId = SEEDED_CUSTOMER_IDS.manyInvoices;
    const owner = await loginAs(portal, ownerEmail);
    const carrier = carrierAddress();
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    const before = (await mailsTo(portal, ownerEmail)).length;
    // Stripe answers the save's customer update with 500s, the SDK's retries included: the
    // save is accepted (journalled) but not confirmed.
    portal.emulator!.injectFault({
      method: 'POST',
      path: `/v1/customers/${customerId}`,
      fault: 500,
      times: 3,
    });
    const bulk = await spedition.request('PUT', '/api/fleet/billing-details', {
      body: {
        customerIds: [customerId],
        details: {
          name: 'Spedition Elbtal GmbH',
          address: {line1: 'Hafenstraße 2', postalCode: '01067', city: 'Dresden', country: 'DE'},
          shipping: null,
          taxId: null,
        },
      },
    });
    assert.equal(bulk.status, 200);
    assert.equal(bulk.body.results[0].error.code, 'save_pending');
    assert.equal((await mailsTo(portal, ownerEmail)).length, before, 'nothing saved yet');
    portal.emulator!.clearFaults();
    // The next load of the driver's dashboard completes the save.
    const switched = await spedition.post('/api/session/account', {customerId});
    assert.equal(switched.status, 200);
    const account = await spedition.get('/api/account');
    assert.equal(account.body.customer.name, 'Spedition Elbtal GmbH');
    const notices = await noticesTo(portal, ownerEmail, before);
    assert.deepEqual(
      notices.map((n) => [n.text.split('\n')[4], /^Geändert von: (.*)$/m.exec(n.text)?.[1]]),
      [['Rechnungs- und Versanddaten geändert', carrier]],
    );
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('never fails a change because its mails cannot be sent (each tried three times)', async () => {
    const ownerEmail = SEEDED_EMAILS.noSubscription;
    const owner = await loginAs(portal, ownerEmail);
    const before = (await mailsTo(portal, ownerEmail)).length;
    portal.postmark!.failNext(6);
    const carrier = carrierAddress();
    assert.equal((await owner.post('/api/carrier-access', {email: carrier})).status, 201);
    assert.equal((await mailsTo(portal, carrier)).length, 0, 'the grant mail failed thrice');
    assert.equal((await mailsTo(portal, ownerEmail)).length, before, 'and the notice');
    assert.equal((await owner.get('/api/carrier-access')).body.carriers.length, 1);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal((await mailsTo(portal, ownerEmail)).length, before + 1, 'mails flow again');
  });
});

describe('carrier mails per IP', () => {
  let portal: Portal;
  before(async () => {
    ({portal} = await startPortalWithStripe({env: {RATE_LIMIT_LINKS_PER_IP_15MIN: '3'}}));
  });
  after(() => portal.close());

  it('answers 429 over the IP’s mail limit (shared with login links) and grants nothing', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.card);
    await grant(portal, owner, carrierAddress());
    await grant(portal, owner, carrierAddress());
    const refused = await owner.post('/api/carrier-access', {email: carrierAddress()});
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal((await owner.get('/api/carrier-access')).body.carriers.length, 2);
  });
});
