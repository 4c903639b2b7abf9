import {LitElement, css, html, nothing} from 'lit';
import {customElement, property, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {ActionController} from '../controllers/action-controller.js';
import {portalEvent} from '../events.js';
import {activeLocale} from '../localization.js';
import {portalStyles} from '../styles/portal-styles.js';
import {linkRequestErrorText} from './conroo-login-form.js';

/**
 * @summary „Check your mail": says that a link is on its way, without telling whether the
 * address is known.
 *
 * @event conroo-change-email - The user wants to type another address (`detail.email`).
 *
 * @csspart actions - The row with „Andere E-Mail-Adresse" and „Erneut senden".
 */
@localized()
@customElement('conroo-check-mail')
export class ConrooCheckMail extends LitElement {
  static override shadowRootOptions = {...LitElement.shadowRootOptions, delegatesFocus: true};

  static override styles = [
    portalStyles,
    css`
      :host {
        display: block;
        max-width: 34rem;
        margin-inline: auto;
      }

      ul {
        margin: 0 0 1rem;
        padding-left: 1.25rem;
      }

      li + li {
        margin-top: 0.375rem;
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 1rem;
      }

      .email {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  private api?: PortalApiClient;

  /** „Erneut senden": one request at a time; its failure kept until the next. */
  private readonly resend = new ActionController(this, {keepOnDisconnect: true});

  /** Whether the last „Erneut senden" went through (the notice stays until the next one). */
  @state() private resent = false;

  /** The address the link was requested for. */
  @property() email = '';

  private handleChangeEmail() {
    this.dispatchEvent(portalEvent('conroo-change-email', {email: this.email}));
  }

  private async handleResend() {
    const api = this.api;
    if (!api) {
      return;
    }
    this.resent = false;
    const email = this.email;
    const outcome = await this.resend.run(true, (signal) =>
      api.requestEmailLink(email, activeLocale(), signal),
    );
    this.resent = outcome.status === 'done';
  }

  override render() {
    const pending = this.resend.busy;
    const failure = this.resend.failure;
    return html`
      <h2 tabindex="-1">${msg('Prüfen Sie Ihr Postfach')}</h2>
      <p>
        ${msg(
          str`Wenn die Adresse ${this.email} zu einem Gate Pass gehört, ist eine E-Mail mit einem Anmeldelink an sie unterwegs.`,
        )}
      </p>
      <ul>
        <li>${msg('Der Link ist 24 Stunden gültig und funktioniert nur einmal.')}</li>
        <li>
          ${msg(
            'Sie können die E-Mail an Ihren Spediteur weiterleiten: Der Link funktioniert in jedem Browser, z. B. um eine Firmenkarte zu hinterlegen.',
          )}
        </li>
        <li>${msg('Keine E-Mail erhalten? Sehen Sie auch im Spam-Ordner nach.')}</li>
      </ul>
      <div role="status">
        ${
          this.resent
            ? html`<div class="banner banner--info">
                <p>${msg('Die E-Mail wurde erneut gesendet.')}</p>
              </div>`
            : nothing
        }
      </div>
      ${
        failure
          ? html`<div class="banner banner--danger" role="alert">
              <p>${linkRequestErrorText(failure.error)}</p>
            </div>`
          : nothing
      }
      <div class="actions" part="actions">
        <button type="button" class="button button--secondary" @click=${this.handleChangeEmail}>
          ${msg('Andere E-Mail-Adresse')}
        </button>
        <button
          type="button"
          class="button button--secondary"
          ?disabled=${pending}
          @click=${this.handleResend}
        >
          ${pending ? msg('Wird gesendet …') : msg('Erneut senden')}
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-check-mail': ConrooCheckMail;
  }
}
