import {html, nothing, type TemplateResult} from 'lit';
import {msg} from '@lit/localize';
import {activeLocale} from '../localization.js';
import {renderLanguageSelect} from './language-select.js';

export interface PortalFrameOptions {
  mode: 'inline' | 'dialog';
  /** Whether the dialog is open (`mode="dialog"`); a closed dialog renders no content. */
  open: boolean;
  /** The dialog closed (Escape, the close button, `hide()`). */
  onClose: (event: Event) => void;
  /** The dialog's close button. */
  onHide: () => void;
  /** The language switcher's `change`. */
  onLanguageChange: (event: Event) => void;
}

/** Around the view: the language switcher inline, or the dialog with its title bar. */
export function renderPortalFrame(content: TemplateResult, options: PortalFrameOptions) {
  if (options.mode !== 'dialog') {
    return html`<div class="portal isolated" lang=${activeLocale()}>
      <div class="toolbar">${renderLanguageSelect(options.onLanguageChange)}</div>
      ${content}
    </div>`;
  }
  return html`<dialog
    part="dialog"
    lang=${activeLocale()}
    aria-labelledby="dialog-title"
    @close=${options.onClose}
  >
    <div class="portal isolated">
      <div class="dialog-header" part="dialog-header">
        <h2 class="dialog-title" id="dialog-title">${msg('CONROO Kundenportal')}</h2>
        ${renderLanguageSelect(options.onLanguageChange)}
        <button
          type="button"
          class="close-button"
          part="close-button"
          aria-label=${msg('Schließen')}
          @click=${options.onHide}
        >
          <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M4 4l12 12M16 4L4 16" stroke="currentColor" stroke-width="2" />
          </svg>
        </button>
      </div>
      ${options.open ? content : nothing}
    </div>
  </dialog>`;
}
