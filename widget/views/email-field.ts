import {html, nothing} from 'lit';
import {msg} from '@lit/localize';

// The e-mail address field of the login form and of „Spedition": one markup, so that both
// keep the keyboard, autofill and the error tied to the field for assistive technology alike.

/** What an e-mail field shows; the texts are the caller's. */
export interface EmailField {
  /** The input's id, unique in its shadow root; the hint's and the error's add `-hint`, `-error`. */
  id: string;
  label: string;
  hint: string;
  /** `email` for the user's own address, `off` for someone else's (autofill would offer ours). */
  autocomplete: 'email' | 'off';
  value: string;
  /** What is wrong with the address, said at the field; empty when nothing is. */
  error: string;
  onInput: (event: Event) => void;
}

/** Label, hint, `<input type="email">` (part `input`) and its error. */
export function renderEmailField(field: EmailField) {
  const errorId = `${field.id}-error`;
  const describedBy = [`${field.id}-hint`, field.error ? errorId : ''].join(' ').trim();
  return html`<label for=${field.id}>${field.label}</label>
    <p class="hint muted" id="${field.id}-hint">${field.hint}</p>
    <input
      id=${field.id}
      part="input"
      type="email"
      name="email"
      autocomplete=${field.autocomplete}
      inputmode="email"
      spellcheck="false"
      required
      .value=${field.value}
      aria-invalid=${field.error ? 'true' : 'false'}
      aria-describedby=${describedBy}
      @input=${field.onInput}
    />
    ${
      field.error
        ? html`<p class="field-error" id=${errorId} role="alert">${field.error}</p>`
        : nothing
    }`;
}

/** The server, or the browser's check of `type="email"`, does not take the address. */
export function invalidEmailText(): string {
  return msg('Bitte geben Sie eine gültige E-Mail-Adresse ein.');
}

/**
 * What is wrong with the address in `input` before it is sent: `emptyText` when there is none,
 * `invalidEmailText()` when the browser does not take it; empty when it may be sent.
 */
export function emailFieldError(input: HTMLInputElement, emptyText: string): string {
  if (!input.value.trim()) {
    return emptyText;
  }
  return input.checkValidity() ? '' : invalidEmailText();
}
