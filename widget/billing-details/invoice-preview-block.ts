import {html, nothing, type TemplateResult} from 'lit';
import {msg, str} from '@lit/localize';
import {formatDate, taxIdTypeLabel} from '../format.js';
import {invoicePreview} from './billing-details-model.js';
import type {BillingFormValues} from './billing-form-values.js';

/**
 * „Ihre nächste Rechnung … wird ausgestellt an:" and the block it will print from `values` as
 * typed; `date` is when it will be issued, `null` without a renewing Gate Pass.
 */
export function renderInvoicePreview(
  values: BillingFormValues,
  date: number | null,
): TemplateResult {
  const preview = invoicePreview(values);
  const taxId = preview.taxId;
  return html`<aside class="preview" part="preview" aria-labelledby="preview-title">
    <p id="preview-title">
      <strong
        >${
          date === null
            ? msg('Künftige Rechnungen werden ausgestellt an:')
            : msg(str`Ihre nächste Rechnung am ${formatDate(date)} wird ausgestellt an:`)
        }</strong
      >
    </p>
    <address class="invoice-block" data-preview="invoice-block">
      ${
        preview.lines.length
          ? preview.lines.map((line) => html`<span class="line">${line}</span>`)
          : html`<span class="line muted">—</span>`
      }
      ${
        taxId === 'invalid'
          ? html`<span class="tax-id muted">${msg('Steuer-ID: bitte prüfen')}</span>`
          : taxId
            ? html`<span class="tax-id">${`${taxIdTypeLabel(taxId)}: ${taxId.value}`}</span>`
            : nothing
      }
      ${
        values.reference.trim()
          ? html`<span class="reference"
              >${msg(str`Ihre Referenz: ${values.reference.trim()}`)}</span
            >`
          : nothing
      }
    </address>
    <p class="muted">
      ${
        date === null
          ? msg(
              'Die Angaben werden für künftige Rechnungen verwendet. Bereits ausgestellte Rechnungen ändern sich nicht.',
            )
          : msg(
              'Bereits ausgestellte Rechnungen ändern sich nicht: Stripe übernimmt die Angaben beim Ausstellen in die Rechnung.',
            )
      }
    </p>
  </aside>`;
}
