import {css} from 'lit';
import {portalStyles} from '../styles/portal-styles.js';
import {billingFragmentStyles, noticeStyles} from '../styles/section-styles.js';

/** The look of „Zahlungsmethoden", over the portal's shared styles. */
export const paymentMethodsStyles = [
  portalStyles,
  billingFragmentStyles,
  noticeStyles,
  css`
    :host {
      display: block;
    }

    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }

    li.card {
      display: grid;
      gap: 0.75rem;
      padding-block: 0.875rem;
    }

    li.is-default {
      border-color: var(--conroo-accent-border);
      box-shadow: inset 4px 0 0 var(--conroo-accent);
    }

    .item-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }

    .confirm {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem 1rem;
      border-radius: calc(var(--conroo-radius) * 0.75);
      background: var(--conroo-surface-muted);
    }

    .confirm p,
    li .banner,
    li .banner p {
      margin: 0;
    }

    .button--danger {
      background: var(--conroo-danger-text);
      color: #fff;
    }

    .add {
      margin-top: 1rem;
    }

    /* One column that never grows past the card, whatever the slotted payment form holds. */
    .add-form {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }

    .add-form h3 {
      margin: 0;
    }

    .add-form h3:focus {
      outline: none;
    }

    .add-form p,
    .add-form .banner {
      margin: 0;
    }
  `,
];
