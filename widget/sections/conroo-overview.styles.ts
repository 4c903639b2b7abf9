import {css} from 'lit';
import {portalStyles} from '../styles/portal-styles.js';
import {billingFragmentStyles} from '../styles/section-styles.js';

/** The look of the Übersicht, over the portal's shared styles. */
export const overviewStyles = [
  portalStyles,
  billingFragmentStyles,
  css`
    :host {
      display: block;
    }

    .plan {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.5rem;
      margin-bottom: 0.75rem;
      font-size: 1.125rem;
    }

    ul.invoices {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    ul.invoices li {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0.125rem 1rem;
      padding: 0.5rem 0;
      border-top: 1px solid var(--conroo-border);
    }

    ul.invoices li:first-child {
      border-top: 0;
      padding-top: 0;
    }

    .invoice-meta {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      font-size: 0.875rem;
    }

    .wide {
      grid-column: 1 / -1;
    }

    .banner-text {
      flex: 1 1 16rem;
    }

    .banner-text p + p {
      margin-top: 0.25rem;
    }

    .banner-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
  `,
];
