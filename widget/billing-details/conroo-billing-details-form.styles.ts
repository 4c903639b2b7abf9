import {css} from 'lit';

/** The layout of `<conroo-billing-details-form>`: fields beside the invoice preview when wide. */
export const billingDetailsFormStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }

  .layout {
    display: grid;
    gap: 1.25rem;
  }

  .fields {
    display: grid;
    gap: 1rem;
    min-width: 0;
  }

  /* On a phone every pixel of width goes to the fields: the groups are headed, not boxed. */
  fieldset {
    display: grid;
    gap: 1rem;
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }

  legend {
    padding: 0;
    margin-bottom: 0.75rem;
    font-size: 1.0625rem;
    font-weight: 700;
  }

  .field {
    min-width: 0;
  }

  .optional {
    font-weight: 400;
    color: var(--conroo-text-muted);
  }

  [aria-invalid='true'] {
    border-color: var(--conroo-danger-text);
    box-shadow: inset 0 0 0 1px var(--conroo-danger-text);
  }

  .checkbox {
    display: flex;
    align-items: center;
    gap: 0.625rem;
    min-height: 2.75rem;
    font-weight: 600;
    cursor: pointer;
  }

  /* 24 px: the smallest target WCAG 2.2 allows (2.5.8). */
  .checkbox input {
    flex: none;
    width: 1.5rem;
    height: 1.5rem;
    margin: 0;
    accent-color: var(--conroo-text);
  }

  .address-grid {
    display: grid;
    gap: 1rem;
  }

  .preview {
    align-self: start;
    display: grid;
    gap: 0.75rem;
    padding: 1rem 1.25rem;
    border: 1px dashed var(--conroo-border-strong);
    border-radius: var(--conroo-radius);
    background: var(--conroo-surface-muted);
  }

  .preview p {
    margin: 0;
  }

  .invoice-block {
    padding: 0.75rem 1rem;
    border-left: 4px solid var(--conroo-accent);
    background: var(--conroo-surface);
    font-style: normal;
    overflow-wrap: anywhere;
  }

  .invoice-block .line {
    display: block;
  }

  .invoice-block .tax-id,
  .invoice-block .reference {
    display: block;
    margin-top: 0.5rem;
    font-variant-numeric: tabular-nums;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 1.25rem;
  }

  /* PLZ beside Ort once there is room; the preview beside the fields on wide screens. */
  @container (min-width: 30rem) {
    fieldset {
      padding: 1rem;
      border: 1px solid var(--conroo-border);
      border-radius: var(--conroo-radius);
    }

    legend {
      margin-bottom: 0;
      padding: 0 0.25rem;
      font-size: inherit;
    }

    .address-grid {
      grid-template-columns: minmax(7rem, 10rem) minmax(0, 1fr);
    }

    .address-grid .wide {
      grid-column: 1 / -1;
    }
  }

  @container (min-width: 44rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr) minmax(14rem, 18rem);
      align-items: start;
    }

    .preview {
      position: sticky;
      top: 1rem;
    }
  }
`;
