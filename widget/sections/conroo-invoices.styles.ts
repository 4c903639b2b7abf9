import {css} from 'lit';
import {portalStyles} from '../styles/portal-styles.js';
import {billingFragmentStyles} from '../styles/section-styles.js';

/** The look of „Rechnungen", over the portal's shared styles. */
export const invoicesStyles = [
  portalStyles,
  billingFragmentStyles,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }

    .e-invoice-hint {
      margin: 0 0 0.75rem;
      font-size: 0.875rem;
    }

    table {
      width: 100%;
      border-collapse: collapse;
      background: var(--conroo-surface);
      border: 1px solid var(--conroo-border);
      border-radius: var(--conroo-radius);
      overflow: hidden;
    }

    th,
    td {
      padding: 0.625rem 0.75rem;
      text-align: left;
      vertical-align: top;
      border-top: 1px solid var(--conroo-border);
    }

    thead th {
      border-top: 0;
      background: var(--conroo-surface-muted);
      font-size: 0.875rem;
      font-weight: 600;
    }

    .nowrap {
      white-space: nowrap;
    }

    .status {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.5rem;
    }

    td.amount-cell {
      text-align: right;
    }

    th.amount-cell {
      text-align: right;
    }

    .actions {
      display: flex;
      flex-direction: column;
      align-items: stretch;
      gap: 0.375rem;
    }

    .small-button {
      min-height: 2rem;
      padding: 0.25rem 0.75rem;
      font-size: 0.875rem;
      /* „PDF mit E-Rechnung (ZUGFeRD)" wraps rather than leave a narrow card (reflow at 320 px). */
      white-space: normal;
      text-align: center;
    }

    .download-state {
      font-size: 0.875rem;
      /* Below the buttons, not between them where they wrap into a row. */
      flex-basis: 100%;
    }

    .download-state--error {
      color: var(--conroo-danger-text);
    }

    .more {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
      margin-top: 1rem;
    }

    .export {
      margin-top: 1.5rem;
    }

    .export h3 {
      font-size: 1rem;
    }

    .export-row {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 0.75rem 1rem;
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    .field label {
      font-size: 0.875rem;
      font-weight: 600;
    }

    select {
      min-height: 2.5rem;
      min-width: 7rem;
      padding: 0.375rem 0.5rem;
      border: 1px solid var(--conroo-border-strong);
      border-radius: calc(var(--conroo-radius) * 0.5);
      background: var(--conroo-surface);
      color: var(--conroo-text);
      font: inherit;
    }

    .export-row .download-state {
      align-self: center;
    }

    /*
     * Below the width the seven columns need (phones, dialogs, the dashboard beside its
     * sidebar), every invoice becomes a card; cards sit side by side where two fit.
     */
    @container (max-width: 62rem) {
      table,
      tbody,
      th,
      td {
        display: block;
      }

      table {
        border: 0;
        background: none;
      }

      thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }

      tbody {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
        gap: 0.75rem;
      }

      tr {
        display: flex;
        flex-direction: column;
        padding: 0.5rem 0.75rem;
        background: var(--conroo-surface);
        border: 1px solid var(--conroo-border);
        border-radius: var(--conroo-radius);
      }

      th[scope='row'],
      td,
      td.amount-cell {
        /* Label in a fixed column, the value flowing beside it whatever nodes it holds. */
        display: block;
        position: relative;
        padding: 0.25rem 0 0.25rem 8.5rem;
        border: 0;
        text-align: left;
        overflow-wrap: anywhere;
      }

      th[scope='row']::before,
      td::before {
        content: attr(data-label);
        position: absolute;
        left: 0;
        width: 8rem;
        color: var(--conroo-text-muted);
        font-weight: normal;
      }

      th.nowrap {
        white-space: normal;
      }

      /* The card's buttons span its width at its foot, without a label. */
      td.actions-cell {
        margin-top: auto;
        padding: 0.5rem 0 0.25rem;
      }

      td.actions-cell::before {
        content: none;
      }

      .actions {
        flex-direction: row;
        flex-wrap: wrap;
      }

      /* On one line where it fits; a label longer than the card is wide („PDF mit E-Rechnung
         (ZUGFeRD)" at 320 px) wraps. */
      .actions .small-button {
        flex: 1 1 auto;
        min-width: 0;
        min-height: 2.5rem;
        white-space: normal;
        text-align: center;
      }
    }

    /* Phones (320 px, or 200 % zoom): each label above its value, so nothing is cut off. */
    @container (max-width: 24rem) {
      th[scope='row'],
      td,
      td.amount-cell {
        padding-left: 0;
      }

      th[scope='row']::before,
      td::before {
        position: static;
        display: block;
        width: auto;
        font-size: 0.875rem;
      }
    }
  `,
];
