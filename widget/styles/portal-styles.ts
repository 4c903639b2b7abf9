import {css} from 'lit';

/**
 * The portal's look, shared by every element. Colours, radius and font come from the
 * `--conroo-*` tokens, which `<conroo-billing-portal>` defaults on its `:host` and which
 * inherit into every nested shadow root.
 */
export const portalStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--conroo-font);
    color: var(--conroo-text);
    line-height: 1.5;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  [hidden] {
    display: none !important;
  }

  /*
   * The host page's CSS stops here: what it sets on an element of the page (the portal's host,
   * or the payment form, which lives in the page's light DOM) would otherwise be inherited by
   * everything inside, e.g. a page's letter-spacing, text-transform or white-space. The tokens
   * (custom properties) still inherit: they are how a page restyles the portal.
   */
  .isolated {
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--conroo-font);
    font-size: 1rem;
    line-height: 1.5;
    color: var(--conroo-text);
    text-align: start;
    overflow-wrap: break-word;
  }

  /* For screen readers only, e.g. what a masked card number means. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* Long German compounds („Zahlungsmethoden") break at a syllable where the line is short. */
  h2,
  h3 {
    margin: 0 0 0.75rem;
    line-height: 1.25;
    hyphens: auto;
  }

  h2 {
    font-size: 1.375rem;
  }

  h3 {
    font-size: 1.0625rem;
  }

  /* A heading gets focus only from the portal, after a view change, so that a screen reader
     says where the user now is; it is no control, so it shows no focus ring (as GOV.UK does
     with headings it focuses). The next Tab goes on from there. */
  h2[tabindex='-1']:focus {
    outline: none;
  }

  p {
    margin: 0 0 0.75rem;
  }

  .card {
    background: var(--conroo-surface);
    border: 1px solid var(--conroo-border);
    border-radius: var(--conroo-radius);
    padding: var(--conroo-space, 1rem) calc(var(--conroo-space, 1rem) * 1.25);
  }

  .cards {
    display: grid;
    gap: var(--conroo-space, 1rem);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr));
  }

  .muted {
    color: var(--conroo-text-muted);
  }

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 2.5rem;
    padding: 0.5rem 1rem;
    border: 1px solid transparent;
    border-radius: calc(var(--conroo-radius) * 0.75);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }

  .button--primary {
    background: var(--conroo-accent);
    color: var(--conroo-accent-text);
  }

  .button--primary:hover {
    background: var(--conroo-accent-hover);
  }

  .button--secondary {
    background: var(--conroo-surface);
    color: var(--conroo-text);
    border-color: var(--conroo-border-strong);
  }

  .button--secondary:hover {
    background: var(--conroo-surface-muted);
  }

  .button:disabled {
    opacity: 0.6;
    cursor: progress;
  }

  .link-button {
    min-height: 1.5rem;
    padding: 0;
    border: 0;
    background: none;
    color: var(--conroo-link);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }

  :is(button, a, input, select, [tabindex]):focus-visible {
    outline: 2px solid var(--conroo-focus-ring);
    outline-offset: 2px;
  }

  .badge {
    display: inline-block;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
    background: var(--conroo-surface-muted);
    color: var(--conroo-text);
    white-space: nowrap;
  }

  .badge--success {
    background: var(--conroo-success-surface);
    color: var(--conroo-success-text);
  }

  .badge--warning {
    background: var(--conroo-warning-surface);
    color: var(--conroo-warning-text);
  }

  .badge--danger {
    background: var(--conroo-danger-surface);
    color: var(--conroo-danger-text);
  }

  .banner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--conroo-space, 1rem) * 0.5) var(--conroo-space, 1rem);
    padding: calc(var(--conroo-space, 1rem) * 0.75) var(--conroo-space, 1rem);
    margin-bottom: var(--conroo-space, 1rem);
    border-radius: var(--conroo-radius);
    border: 1px solid var(--conroo-border);
    background: var(--conroo-surface-muted);
  }

  .banner p {
    margin: 0;
    flex: 1 1 16rem;
  }

  .banner--info {
    background: var(--conroo-info-surface);
    border-color: var(--conroo-info-border);
  }

  .banner--warning {
    background: var(--conroo-warning-surface);
    border-color: var(--conroo-warning-border);
    color: var(--conroo-warning-text);
  }

  .banner--danger {
    background: var(--conroo-danger-surface);
    border-color: var(--conroo-danger-border);
    color: var(--conroo-danger-text);
  }

  .state {
    padding: calc(var(--conroo-space, 1rem) * 1.5) calc(var(--conroo-space, 1rem) * 1.25);
    text-align: center;
  }

  .state p {
    margin-bottom: 1rem;
  }

  .state--loading {
    color: var(--conroo-text-muted);
  }

  .spinner {
    display: inline-block;
    width: 1.25rem;
    height: 1.25rem;
    margin-right: 0.5rem;
    vertical-align: -0.25rem;
    border: 2px solid var(--conroo-border);
    border-top-color: var(--conroo-text);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }

  .card {
    container-type: inline-size;
  }

  /* Label above value in narrow cards, beside it where there is room. */
  dl.facts {
    display: grid;
    grid-template-columns: 1fr;
    gap: 0.125rem;
    margin: 0;
  }

  dl.facts dt {
    color: var(--conroo-text-muted);
    font-size: 0.875rem;
  }

  dl.facts dd + dt {
    margin-top: 0.5rem;
  }

  @container (min-width: 22rem) {
    dl.facts {
      grid-template-columns: minmax(7rem, max-content) 1fr;
      gap: 0.375rem 1rem;
    }

    dl.facts dt {
      font-size: inherit;
    }

    dl.facts dd + dt {
      margin-top: 0;
    }
  }

  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .address {
    font-style: normal;
    white-space: pre-line;
  }

  .card-header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
    margin-bottom: 0.75rem;
  }

  .card-header h3 {
    margin: 0;
  }

  .amount {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
`;

/**
 * The portal's form fields: label above a text input or select, hint and error below. An
 * element's own rules come after these and override them where its fields differ.
 */
export const formFieldStyles = css`
  .field {
    display: grid;
    gap: 0.25rem;
  }

  label {
    font-weight: 600;
  }

  /* The checkbox keeps its own size. \`:not()\` weighs like \`input[type='text']\`, which the forms'
     \`[aria-invalid]\` rules were written against. */
  input:not([type='checkbox']),
  select {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--conroo-border-strong);
    border-radius: calc(var(--conroo-radius) * 0.75);
    background: var(--conroo-surface);
    color: inherit;
    font: inherit;
  }

  .hint {
    margin: 0;
    font-size: 0.875rem;
  }

  .field-error {
    margin: 0;
    color: var(--conroo-danger-text);
    font-weight: 600;
    font-size: 0.9375rem;
  }
`;
