import {LitElement, css, html, nothing} from 'lit';
import {customElement, property} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
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

  private readonly resendTask = new Task(this, {
    task: async ([email]: [string], {signal}) => {
      await this.api!.requestEmailLink(email, activeLocale(), signal);
    },
    autoRun: false,
  });

  /** The address the link was requested for. */
  @property() email = '';

  private handleChangeEmail() {
    this.dispatchEvent(portalEvent('conroo-change-email', {email: this.email}));
  }

  private handleResend() {
    this.resendTask.run([this.email]);
  }

  override render() {
    const status = this.resendTask.status;
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
          status === TaskStatus.COMPLETE
            ? html`<div class="banner banner--info">
                <p>${msg('Die E-Mail wurde erneut gesendet.')}</p>
              </div>`
            : nothing
        }
      </div>
      ${
        status === TaskStatus.ERROR
          ? html`<div class="banner banner--danger" role="alert">
              <p>${linkRequestErrorText(this.resendTask.error)}</p>
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
          ?disabled=${status === TaskStatus.PENDING}
          @click=${this.handleResend}
        >
          ${status === TaskStatus.PENDING ? msg('Wird gesendet …') : msg('Erneut senden')}
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
