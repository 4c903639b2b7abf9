import {css} from 'lit';

/** `<conroo-billing-portal>`'s own styles: the theme's defaults, the dialog, the language switcher. */
export const conrooBillingPortalStyles = css`
  :host {
    --conroo-accent: #ffd600;
    --conroo-accent-hover: #f2cb00;
    --conroo-accent-border: #d9b700;
    --conroo-accent-text: #1a1a1a;
    --conroo-text: #1d1d1b;
    --conroo-text-muted: #585b61;
    --conroo-link: #1a1a1a;
    --conroo-surface: #ffffff;
    --conroo-surface-muted: #f3f3ef;
    --conroo-background: #ffffff;
    --conroo-space: 1rem;
    --conroo-border: #e2e2dc;
    --conroo-border-strong: #84878d;
    --conroo-radius: 12px;
    --conroo-font:
      system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --conroo-focus-ring: #1d4ed8;
    --conroo-success-surface: #e3f4e8;
    --conroo-success-text: #14532d;
    --conroo-warning-surface: #fff6cc;
    --conroo-warning-border: #e6c100;
    --conroo-warning-text: #5c4300;
    --conroo-danger-surface: #fde8e8;
    --conroo-danger-border: #f3b4b4;
    --conroo-danger-text: #9b1c1c;
    --conroo-info-surface: #eef4ff;
    --conroo-info-border: #c7d7fe;

    display: block;
  }

  :host([mode='dialog']) {
    display: contents;
  }

  :host([hidden]) {
    display: none;
  }

  .portal {
    background: var(--conroo-background);
  }

  /*
   * Stripe's Payment Element mounts in a node of the page's light DOM (see the element's class comment): the
   * page's layout rules for <form> must not move or squeeze it.
   */
  ::slotted([slot='stripe-payment-element']) {
    display: block !important;
    position: static !important;
    float: none !important;
    width: auto !important;
    margin: 0 !important;
    padding: 0 !important;
    border: 0 !important;
  }

  /* Its own surface, so that it reads on a light and on a dark page alike. */
  :host(:not([mode='dialog'])) .portal {
    padding: calc(var(--conroo-space) * 0.75);
    border-radius: var(--conroo-radius);
  }

  .toolbar {
    display: flex;
    justify-content: flex-end;
    margin-bottom: calc(var(--conroo-space) * 0.5);
  }

  .language {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    color: var(--conroo-text);
  }

  .language svg {
    flex: none;
  }

  .language select {
    min-height: 2.25rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--conroo-border-strong);
    border-radius: calc(var(--conroo-radius) / 2);
    background: var(--conroo-surface);
    color: var(--conroo-text);
    font: inherit;
    font-size: 0.9375rem;
  }

  .language select:focus-visible {
    outline: 2px solid var(--conroo-focus-ring);
    outline-offset: 2px;
  }

  .dialog-header .language {
    margin-inline-start: auto;
    color: inherit;
  }

  .base {
    background: var(--conroo-background);
    font-size: 1rem;
  }

  dialog {
    width: min(var(--conroo-dialog-width, 64rem), calc(100vw - 2rem));
    max-height: calc(100dvh - 2rem);
    padding: 0;
    border: 0;
    border-radius: var(--conroo-radius);
    background: var(--conroo-surface);
    color: var(--conroo-text);
    box-shadow: 0 24px 64px rgb(0 0 0 / 0.25);
    /* Keyboard focus never hides under the sticky title bar (WCAG 2.4.11). */
    scroll-padding-top: 5rem;
  }

  dialog::backdrop {
    background: rgb(20 20 20 / 0.55);
  }

  dialog .base {
    padding: 1rem 1.25rem 1.5rem;
  }

  .dialog-header {
    position: sticky;
    top: 0;
    z-index: 1;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1rem;
    padding: 0.5rem 0.5rem 0.5rem 1.25rem;
    background: var(--conroo-accent);
    color: var(--conroo-accent-text);
  }

  .dialog-title {
    margin: 0;
    font-size: 1rem;
    font-weight: 700;
    letter-spacing: 0.02em;
  }

  .close-button {
    display: inline-grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }

  .close-button:hover {
    background: rgb(0 0 0 / 0.08);
  }

  .close-button:focus-visible {
    outline-color: var(--conroo-accent-text);
  }

  @media (max-width: 40rem) {
    dialog {
      width: 100vw;
      max-width: 100vw;
      height: 100dvh;
      max-height: 100dvh;
      margin: 0;
      border-radius: 0;
      /* The title bar is two rows high here (see below). */
      scroll-padding-top: 8rem;
    }

    /* Title and close button on the first row, the language on a row of its own: the three
       do not fit side by side on a phone. */

    .dialog-header {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0 0.5rem;
    }

    .dialog-title {
      grid-area: 1 / 1;
    }

    .close-button {
      grid-area: 1 / 2;
    }

    .dialog-header .language {
      grid-area: 2 / 1 / 3 / 3;
      justify-self: start;
      margin: 0 0 0.5rem;
    }
  }
`;
