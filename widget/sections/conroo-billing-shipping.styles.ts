import {css} from 'lit';
import {portalStyles} from '../styles/portal-styles.js';
import {billingFragmentStyles, noticeStyles} from '../styles/section-styles.js';

/** The look of „Rechnung und Versand", over the portal's shared styles. */
export const billingShippingStyles = [
  portalStyles,
  billingFragmentStyles,
  noticeStyles,
  css`
    :host {
      display: block;
    }

    .edit {
      margin-bottom: 1rem;
    }

    .edit-form {
      padding-inline: clamp(0.75rem, 3vw, 1.25rem);
    }

    .edit-form h3:focus {
      outline: none;
    }

    .banner ul {
      flex-basis: 100%;
      margin: 0;
      padding-left: 1.25rem;
    }
  `,
];
