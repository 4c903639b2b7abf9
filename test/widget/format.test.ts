import {expect} from '@open-wc/testing';
import type {Invoice} from '../../common/contract.js';
import {
  cardBrandName,
  cardExpiry,
  countryName,
  formatMoney,
  invoiceDisplayStatus,
  isCardExpired,
  isStripeUrl,
  taxIdTypeLabel,
} from '../../widget/format.js';
import {formatWaitTime} from '../../widget/intl.js';
import {takeLinkTokenFromLocation} from '../../widget/link-token.js';
import {switchLocale} from '../../widget/localization.js';

describe('display rules', () => {
  afterEach(() => switchLocale('de'));

  it('formats money from minor units in the active locale', async () => {
    expect(formatMoney(9900, 'eur')).to.equal('99,00\u00a0€');
    expect(formatMoney(500, 'jpy')).to.equal('500\u00a0¥');
    // Stripe's thousandths for three-decimal currencies, hundredths for HUF.
    expect(formatMoney(12340, 'kwd')).to.match(/^12,340\s?KWD$/);
    expect(formatMoney(10000, 'huf')).to.match(/^100(,00)?\sHUF$/);
    await switchLocale('en');
    expect(formatMoney(9900, 'eur')).to.equal('€99.00');
  });

  it('names card brands the way they are written', () => {
    expect(cardBrandName('visa')).to.equal('Visa');
    expect(cardBrandName('mastercard')).to.equal('Mastercard');
    expect(cardBrandName('amex')).to.equal('American Express');
    expect(cardBrandName('unknown')).to.equal('Karte');
  });

  it('prints the expiry as on the card and knows when a card has expired', () => {
    const card = {brand: 'visa', last4: '4242', expMonth: 8, expYear: 2028};
    expect(cardExpiry(card)).to.equal('08/28');
    expect(isCardExpired(card, new Date(2028, 7, 31))).to.equal(false);
    expect(isCardExpired(card, new Date(2028, 8, 1))).to.equal(true);
  });

  it('names countries in the active language', async () => {
    expect(countryName('DE')).to.equal('Deutschland');
    await switchLocale('en');
    expect(countryName('DE')).to.equal('Germany');
  });

  it('words a wait time with the right plural', () => {
    expect(formatWaitTime(30)).to.equal('30 Sekunden');
    expect(formatWaitTime(60)).to.equal('1 Minute');
    expect(formatWaitTime(61)).to.equal('2 Minuten');
  });

  it('counts an open invoice as overdue only after its due date', () => {
    const now = Date.UTC(2025, 5, 1);
    const open = {status: 'open', dueDate: now / 1000 - 1} as Invoice;
    expect(invoiceDisplayStatus(open, now)).to.equal('overdue');
    expect(invoiceDisplayStatus({...open, dueDate: now / 1000 + 60}, now)).to.equal('open');
    expect(invoiceDisplayStatus({...open, status: 'paid'}, now)).to.equal('paid');
  });

  it('accepts only https links to Stripe', () => {
    expect(isStripeUrl('https://invoice.stripe.com/i/acct_1/x')).to.equal(true);
    expect(isStripeUrl('https://pay.stripe.com/invoice/x')).to.equal(true);
    expect(isStripeUrl('http://invoice.stripe.com/i/acct_1/x')).to.equal(false);
    expect(isStripeUrl('https://stripe.com.evil.example/x')).to.equal(false);
    expect(isStripeUrl('https://evilstripe.com/x')).to.equal(false);
    expect(isStripeUrl('https://user@invoice.stripe.com/x')).to.equal(false);
    expect(isStripeUrl('javascript:alert(1)//stripe.com')).to.equal(false);
    expect(isStripeUrl(undefined)).to.equal(false);
  });
});

describe('takeLinkTokenFromLocation', () => {
  afterEach(() => history.replaceState(null, '', `${location.pathname}${location.search}`));

  it('returns the token and strips only it from the address bar', () => {
    const before = `${location.pathname}${location.search}`;
    history.replaceState(null, '', `${before}#conroo-portal-token=abc_DEF-123`);
    expect(takeLinkTokenFromLocation()).to.equal('abc_DEF-123');
    expect(`${location.pathname}${location.search}${location.hash}`).to.equal(before);
  });

  it('returns nothing and leaves the address alone without a token', () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#section-2`);
    expect(takeLinkTokenFromLocation()).to.equal(null);
    expect(location.hash).to.equal('#section-2');
  });

  it('calls every VAT number a USt-IdNr., whichever country issued it', () => {
    for (const type of ['eu_vat', 'gb_vat', 'ch_vat', 'no_vat'] as const) {
      expect(taxIdTypeLabel({type}), type).to.equal('USt-IdNr.');
    }
    expect(taxIdTypeLabel({type: 'de_stn'})).to.equal('Steuernummer');
  });
});
