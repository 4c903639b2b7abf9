import {html} from 'lit';
import {msg} from '@lit/localize';
import {activeLocale, localeNames, portalLocales} from '../localization.js';

/** The language switcher: every language in its own name, on every view. */
export function renderLanguageSelect(onChange: (event: Event) => void) {
  const current = activeLocale();
  return html`<label class="language" part="language">
    <svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true">
      <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path
        d="M2 10h16M10 2c2.5 2.2 3.6 5 3.6 8s-1.1 5.8-3.6 8M10 2C7.5 4.2 6.4 7 6.4 10s1.1 5.8 3.6 8"
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
      />
    </svg>
    <span class="visually-hidden">${msg('Sprache')}</span>
    <select part="language-select" @change=${onChange}>
      ${portalLocales.map(
        (locale) =>
          html`<option value=${locale} lang=${locale} ?selected=${locale === current}>
            ${localeNames[locale]}
          </option>`,
      )}
    </select>
  </label>`;
}
