/**
 * The VAT case of a finalized Stripe invoice, in EN 16931's terms, from Stripe's own tax facts on
 * the invoice: the taxes of each line (`taxes`: amount, taxable amount, taxability reason, rate),
 * the customer's tax-exempt status and tax IDs as the invoice snapshotted them. Nothing is looked
 * up on the customer as it is now. A case these facts do not decide is refused, never guessed.
 */
import type Stripe from 'stripe';
import {EU_MEMBER_STATES} from '../../../common/billing-rules.js';
import type {EInvoiceSettings} from '../../config.js';

/** EN 16931 VAT category codes (UNTDID 5305) the portal issues. */
export type VatCategory = 'S' | 'AE' | 'O';

/** Why an e-invoice cannot be made; the route answers `409 e_invoice_unavailable` with it. */
export class EInvoiceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EInvoiceUnavailable';
  }
}

/** The tax facts of one line: what EN 16931 needs of it. */
export interface LineTax {
  category: VatCategory;
  /** The rate in percent (`19`), `null` for `O`, which has none. */
  percent: number | null;
  /** Tax charged on the line, minor units. */
  taxAmount: number;
  /** Tax already in the line's amount (tax-inclusive price), minor units. */
  includedTax: number;
}

/** The invoice's case, and what each party's tax identifiers are in it. */
export interface TaxCase {
  kind: 'domestic' | 'eu_reverse_charge' | 'non_eu';
  category: VatCategory;
  /** BT-120/121 for `AE` and `O`. */
  exemption: {code: string; reason: string} | null;
  /** The buyer's VAT ID (BT-48), on `S` when the buyer has one, always on `AE`. */
  buyerVatId: string | null;
  /** The buyer's legal registration ID (BT-47), on `O`: a Swiss UID instead of its VAT ID. */
  buyerRegistrationId: string | null;
  /** Whether the seller's VAT ID (BT-31) may appear; `O` has the Steuernummer (BT-32) alone. */
  sellerVatId: boolean;
}

export const EXEMPTION = {
  AE: {
    code: 'VATEX-EU-AE',
    reason: 'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)',
  },
  O: {
    code: 'VATEX-EU-O',
    reason: 'Nicht im Inland steuerbare Leistung (Leistungsort im Drittland, § 3a Abs. 2 UStG)',
  },
} as const;

/** Stripe's reasons for a tax of zero that mean "not taxed here" (docs.stripe.com/tax/zero-tax). */
const NOT_TAXED: ReadonlySet<string> = new Set([
  'not_collecting',
  'not_subject_to_tax',
  'not_supported',
  'customer_exempt',
]);

const idOf = (value: string | {id: string}): string =>
  typeof value === 'string' ? value : value.id;

/** `CHE-123.456.789 MWST` → `CHE-123.456.789`: the UID that the VAT number is built on. */
export function swissUid(vatId: string): string {
  return vatId.replace(/\s*(MWST|TVA|IVA)$/i, '');
}

/**
 * The case of `invoice`: domestic German VAT (`S`), reverse charge for a business in another EU
 * country with a VAT ID (`AE`), or a business outside the EU that Stripe charged no VAT (`O` or
 * `AE`, `settings.nonEuTaxCategory`). `rates` gives each tax rate's percentage by id.
 */
export function taxCaseOf(
  invoice: Stripe.Invoice,
  rates: ReadonlyMap<string, number>,
  settings: Pick<EInvoiceSettings, 'nonEuTaxCategory'>,
): {taxCase: TaxCase; lineTaxes: LineTax[]} {
  const country = invoice.customer_address?.country?.toUpperCase() ?? null;
  if (!country) {
    throw new EInvoiceUnavailable('The invoice names no country of the buyer');
  }
  if (invoice.customer_tax_exempt === 'exempt') {
    throw new EInvoiceUnavailable(
      'The buyer is tax-exempt: Stripe does not say why, which an e-invoice must (BT-120)',
    );
  }
  const taxIds = invoice.customer_tax_ids ?? [];
  const euVatId = taxIds.find((t) => t.type === 'eu_vat' && t.value)?.value ?? null;
  const chVatId = taxIds.find((t) => t.type === 'ch_vat' && t.value)?.value ?? null;
  const lines = invoice.lines.data;
  if (invoice.lines.has_more) {
    throw new EInvoiceUnavailable('The invoice has more lines than one page of Stripe holds');
  }
  const taxed = lines.map((line) => {
    const taxes = line.taxes ?? [];
    if (taxes.length > 1) {
      throw new EInvoiceUnavailable(`Line ${line.id} carries more than one tax`);
    }
    return {line, tax: taxes[0] ?? null};
  });
  const reverse =
    invoice.customer_tax_exempt === 'reverse' ||
    taxed.some(({tax}) => tax?.taxability_reason === 'reverse_charge');
  const anyTax = taxed.some(({tax}) => tax && tax.amount > 0);

  if (reverse && anyTax) {
    throw new EInvoiceUnavailable('The invoice is marked reverse charge but charges VAT');
  }

  if (anyTax || (!reverse && country === 'DE')) {
    // German VAT on every line: a percentage from the line's tax rate.
    const lineTaxes = taxed.map(({line, tax}): LineTax => {
      const rateId = tax?.tax_rate_details?.tax_rate;
      const percent = rateId ? rates.get(idOf(rateId)) : undefined;
      if (!tax || percent === undefined) {
        throw new EInvoiceUnavailable(`Line ${line.id} has no tax rate to read VAT from`);
      }
      return {
        category: 'S',
        percent,
        taxAmount: tax.amount,
        includedTax: tax.tax_behavior === 'inclusive' ? tax.amount : 0,
      };
    });
    return {
      lineTaxes,
      taxCase: {
        kind: 'domestic',
        category: 'S',
        exemption: null,
        buyerVatId: euVatId,
        buyerRegistrationId: null,
        sellerVatId: true,
      },
    };
  }

  const untaxed = taxed.every(
    ({tax}) =>
      tax === null ||
      (tax.amount === 0 &&
        (tax.taxability_reason === 'reverse_charge' || NOT_TAXED.has(tax.taxability_reason))),
  );
  if (!untaxed) {
    throw new EInvoiceUnavailable('The invoice charges no VAT for a reason it does not state');
  }

  if (EU_MEMBER_STATES.has(country)) {
    if (!reverse) {
      throw new EInvoiceUnavailable(
        `No VAT on an invoice to ${country} without reverse charge: not a case the portal issues`,
      );
    }
    if (!euVatId || !euVatId.toUpperCase().startsWith(country === 'GR' ? 'EL' : country)) {
      throw new EInvoiceUnavailable(
        `Reverse charge needs the buyer's VAT ID of ${country} on the invoice`,
      );
    }
    return {
      lineTaxes: taxed.map(() => ({category: 'AE', percent: 0, taxAmount: 0, includedTax: 0})),
      taxCase: {
        kind: 'eu_reverse_charge',
        category: 'AE',
        exemption: EXEMPTION.AE,
        buyerVatId: euVatId,
        buyerRegistrationId: null,
        sellerVatId: true,
      },
    };
  }

  // Outside the EU: a business (it has a tax ID on the invoice), which Stripe did not tax.
  const buyerTaxId = chVatId ?? taxIds.find((t) => t.value)?.value ?? null;
  if (!buyerTaxId) {
    throw new EInvoiceUnavailable(
      `No VAT on an invoice to ${country} without the buyer's tax ID: not a case the portal issues`,
    );
  }
  if (settings.nonEuTaxCategory === 'AE') {
    return {
      lineTaxes: taxed.map(() => ({category: 'AE', percent: 0, taxAmount: 0, includedTax: 0})),
      taxCase: {
        kind: 'non_eu',
        category: 'AE',
        exemption: EXEMPTION.AE,
        buyerVatId: buyerTaxId,
        buyerRegistrationId: null,
        sellerVatId: true,
      },
    };
  }
  return {
    lineTaxes: taxed.map(() => ({category: 'O', percent: null, taxAmount: 0, includedTax: 0})),
    taxCase: {
      kind: 'non_eu',
      category: 'O',
      exemption: EXEMPTION.O,
      buyerVatId: null,
      buyerRegistrationId: chVatId ? swissUid(chVatId) : buyerTaxId,
      sellerVatId: false,
    },
  };
}

/** The ids of the tax rates the invoice's lines name, to look their percentages up. */
export function taxRateIdsOf(invoice: Stripe.Invoice): string[] {
  const ids = invoice.lines.data.flatMap((line) =>
    (line.taxes ?? []).flatMap((tax) =>
      tax.tax_rate_details?.tax_rate ? [idOf(tax.tax_rate_details.tax_rate)] : [],
    ),
  );
  return [...new Set(ids)];
}
