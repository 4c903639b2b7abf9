import {css} from 'lit';

// What the dashboard's sections share beyond `portalStyles`.

/** Layout of the recurring Stripe pieces from `billing-fragments.ts`. */
export const billingFragmentStyles = css`
  .payment-method {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
  }

  .payment-method__name {
    display: inline-flex;
    gap: 0.5rem;
  }

  ul.tax-ids {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.375rem;
  }

  ul.tax-ids li {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.5rem;
  }

  .tax-id-verification {
    flex-basis: 100%;
    font-size: 0.875rem;
  }

  .tax-id-value {
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }

  .card-footer {
    margin-top: 1rem;
  }
`;

/** Notices a section moves focus to after an action: outlined only for keyboard focus. */
export const noticeStyles = css`
  .banner:focus {
    outline: none;
  }

  .banner:focus-visible {
    outline: 2px solid var(--conroo-focus-ring);
  }

  .banner--success {
    background: var(--conroo-success-surface);
    color: var(--conroo-success-text);
  }
`;
