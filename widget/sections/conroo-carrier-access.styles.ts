import {css} from 'lit';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';
import {noticeStyles} from '../styles/section-styles.js';

/** The look of „Spedition", over the portal's shared styles. */
export const carrierAccessStyles = [
  portalStyles,
  formFieldStyles,
  noticeStyles,
  css`
    :host {
      display: block;
      max-width: 48rem;
    }

    ul {
      list-style: none;
      margin: 0 0 1.25rem;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }

    .carrier {
      display: grid;
      gap: 0.5rem;
      padding-bottom: 0.75rem;
      border-bottom: 1px solid var(--conroo-border);
    }

    .carrier-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
    }

    .carrier-row > div {
      display: grid;
      min-width: 0;
    }

    .carrier-email {
      overflow-wrap: anywhere;
    }

    .confirm {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem 1rem;
      border-radius: calc(var(--conroo-radius) * 0.75);
      background: var(--conroo-surface-muted);
    }

    .confirm p,
    .carrier .banner,
    .carrier .banner p {
      margin: 0;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }

    .button--danger {
      background: var(--conroo-danger-text);
      color: #fff;
    }

    form {
      display: grid;
      gap: 0.5rem;
      max-width: 30rem;
    }

    input[aria-invalid='true'] {
      border-color: var(--conroo-danger-text);
    }

    form .banner {
      margin: 0;
    }

    button[type='submit'] {
      margin-top: 0.25rem;
      justify-self: start;
    }

    h3 + .state {
      margin-bottom: 1.25rem;
    }
  `,
];
