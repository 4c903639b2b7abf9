import {css} from 'lit';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';
import {billingFragmentStyles, noticeStyles} from '../styles/section-styles.js';

/** The look of „Fahrer", over the portal's shared styles. */
export const fleetStyles = [
  portalStyles,
  formFieldStyles,
  billingFragmentStyles,
  noticeStyles,
  css`
    :host {
      display: block;
      min-width: 0;
    }

    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 0.75rem 1.25rem;
      margin-bottom: 0.75rem;
    }

    .search-field {
      flex: 1 1 16rem;
      min-width: 0;
    }

    .sort-field {
      flex: 1 1 14rem;
      min-width: 0;
    }

    .chips {
      flex: 1 1 100%;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }

    .chips-label {
      font-weight: 600;
    }

    .chip {
      min-height: 2.5rem;
      padding: 0.375rem 0.875rem;
      border: 1px solid var(--conroo-border-strong);
      border-radius: 999px;
      background: var(--conroo-surface);
      color: var(--conroo-text);
      font: inherit;
      text-align: start;
      cursor: pointer;
    }

    .chip:hover {
      background: var(--conroo-surface-muted);
    }

    /* On: filled and outlined in the text colour, so it is told apart by more than colour. */
    .chip[aria-pressed='true'] {
      background: var(--conroo-accent);
      color: var(--conroo-accent-text);
      border-color: var(--conroo-accent-text);
      box-shadow: inset 0 0 0 1px var(--conroo-accent-text);
      font-weight: 600;
    }

    .result-count {
      font-weight: 600;
    }

    .selection-bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      margin-bottom: 1rem;
    }

    .checkbox {
      display: inline-flex;
      align-items: center;
      gap: 0.625rem;
      min-height: 2.5rem;
      font-weight: 600;
      cursor: pointer;
    }

    input[type='checkbox'] {
      flex: none;
      width: 1.5rem;
      height: 1.5rem;
      margin: 0;
      accent-color: var(--conroo-text);
    }

    .bulk-form {
      margin-bottom: 1rem;
    }

    .bulk-form .banner {
      margin-bottom: 0.75rem;
    }

    .bulk-form .banner p {
      margin: 0;
    }

    .nowrap {
      white-space: nowrap;
    }

    .status {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
    }

    .who,
    .billing,
    .renewal {
      display: grid;
      gap: 0.125rem;
      justify-items: start;
      min-width: 0;
    }

    .driver-name,
    .billing-name {
      overflow-wrap: anywhere;
      hyphens: manual;
    }

    /* Broken before its „@" (a <wbr>); within a part only when that part alone is too long. */
    .email {
      overflow-wrap: break-word;
    }

    .bulk-state {
      display: grid;
      gap: 0.125rem;
      justify-items: start;
      margin-top: 0.25rem;
    }

    .bulk-reason {
      color: var(--conroo-danger-text);
      font-size: 0.875rem;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.375rem;
    }

    .small-button {
      min-height: 2.5rem;
      padding: 0.25rem 0.75rem;
      font-size: 0.875rem;
    }

    table {
      width: 100%;
      border-collapse: collapse;
      background: var(--conroo-surface);
      border: 1px solid var(--conroo-border);
      border-radius: var(--conroo-radius);
      font-size: 0.9375rem;
    }

    th,
    td {
      padding: 0.5rem 0.625rem;
      text-align: left;
      vertical-align: top;
      border-top: 1px solid var(--conroo-border);
    }

    th[scope='row'] {
      font-weight: normal;
    }

    thead th {
      border-top: 0;
      background: var(--conroo-surface-muted);
      font-size: 0.875rem;
      font-weight: 600;
    }

    /* Every cell wraps, so that the table fits the width it has (from 56 rem on). */
    .fleet-table {
      font-size: 0.875rem;
      hyphens: auto;
    }

    .fleet-table th,
    .fleet-table td {
      padding: 0.5rem;
    }

    .fleet-table .badge,
    .fleet-table .small-button {
      white-space: normal;
    }

    .fleet-table .badge {
      border-radius: 0.5rem;
    }

    /* The driver's name and address get the room they need first; the buttons fill theirs. */
    .fleet-table th[scope='row'] {
      width: 11rem;
    }

    .fleet-table td:last-child {
      width: 9.5rem;
    }

    .fleet-table .small-button {
      padding: 0.25rem 0.5rem;
    }

    .fleet-table .actions {
      flex-direction: column;
      align-items: stretch;
    }

    .fleet-table .payment-method {
      display: grid;
      gap: 0.125rem;
      justify-items: start;
    }

    .fleet-table .payment-method__name {
      flex-wrap: wrap;
      gap: 0 0.375rem;
    }

    tr.is-selected {
      background: var(--conroo-info-surface);
    }

    .sort-button {
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
      min-height: 2rem;
      padding: 0.125rem 0.25rem;
      margin: -0.125rem -0.25rem;
      border: 0;
      background: none;
      color: inherit;
      font: inherit;
      font-weight: 600;
      white-space: nowrap;
      cursor: pointer;
    }

    .sort-button:hover {
      text-decoration: underline;
    }

    .fleet-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
      gap: 0.75rem;
    }

    .driver-card {
      display: grid;
      gap: 0.75rem;
      align-content: start;
      min-width: 0;
    }

    .driver-card.is-selected {
      border-color: var(--conroo-accent-border);
      box-shadow: inset 4px 0 0 var(--conroo-accent);
    }

    .card-head {
      display: flex;
      align-items: flex-start;
      gap: 0.75rem;
    }

    .card-head .who {
      flex: 1 1 auto;
    }
  `,
];
