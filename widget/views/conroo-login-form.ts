import {LitElement, css, html, nothing} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {
  ApiError,
  isServiceUnavailable,
  mayWorkLater,
  type PortalApiClient,
} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {ActionController} from '../controllers/action-controller.js';
import {portalEvent} from '../events.js';
import {formatWaitTime} from '../intl.js';
import {activeLocale} from '../localization.js';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';
import {emailFieldError, invalidEmailText, renderEmailField} from './email-field.js';
import {loginNoticeText, type LoginNotice} from './login-notice.js';

/** Texts for a failed link request, by what went wrong. */
export function linkRequestErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'rate_limited') {
    return error.retryAfter
      ? msg(
          str`Zu viele Anfragen. Bitte warten Sie ${formatWaitTime(error.retryAfter)} und versuchen Sie es dann erneut.`,
        )
      : msg('Zu viele Anfragen. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.');
  }
  if (error instanceof ApiError && error.code === 'network_error') {
    return msg('Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung.');
  }
  if (isServiceUnavailable(error)) {
    return msg(
      'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
    );
  }
  return msg('Der Link konnte nicht angefordert werden. Bitte versuchen Sie es erneut.');
}

/**
 * @summary The first step of the login: the e-mail address used when buying the Gate Pass.
 *
 * @event conroo-link-requested - A link was requested for `detail.email`.
 *
 * @csspart form - The login form.
 * @csspart error - Why the link could not be requested (with „Erneut versuchen" when the
 *   server or the connection was down for a moment; the address stays in the field).
 * @csspart notice - Why the form shows again (expired link, ended session…).
 * @csspart input - The e-mail field.
 * @csspart submit - The button that requests the link.
 */
@localized()
@customElement('conroo-login-form')
export class ConrooLoginForm extends LitElement {
  static override shadowRootOptions = {...LitElement.shadowRootOptions, delegatesFocus: true};

  static override styles = [
    portalStyles,
    formFieldStyles,
    css`
      :host {
        display: block;
        max-width: 30rem;
        margin-inline: auto;
      }

      form {
        display: grid;
        gap: 0.5rem;
      }

      input[aria-invalid='true'] {
        border-color: var(--conroo-danger-text);
      }

      button[type='submit'] {
        margin-top: 0.5rem;
        justify-self: start;
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  @state()
  private api?: PortalApiClient;

  /** „Link anfordern": one request at a time, its failure kept until the next. */
  private readonly requestLink = new ActionController(this, {keepOnDisconnect: true});

  @query('input') private emailInput?: HTMLInputElement;

  @state() private fieldError = '';

  /** The address to prefill, e.g. when coming back from the check-mail view. */
  @property() email = '';

  /** Why the form shows, e.g. `link_expired` or `session_expired`; empty on a first visit. */
  @property() notice: LoginNotice | '' = '';

  private handleSubmit(event: SubmitEvent) {
    event.preventDefault();
    const input = this.emailInput!;
    const email = input.value.trim();
    input.value = email;
    this.email = email;
    this.fieldError = emailFieldError(input, msg('Bitte geben Sie Ihre E-Mail-Adresse ein.'));
    if (this.fieldError) {
      input.focus();
      return;
    }
    void this.sendLink(email);
  }

  private async sendLink(email: string) {
    const api = this.api;
    if (!api) {
      return;
    }
    const outcome = await this.requestLink.run(true, (signal) =>
      api.requestEmailLink(email, activeLocale(), signal),
    );
    if (outcome.status === 'done') {
      this.dispatchEvent(portalEvent('conroo-link-requested', {email}));
    } else if (outcome.status === 'failed' && outcome.code === 'invalid_email') {
      this.fieldError = invalidEmailText();
      await this.updateComplete;
      this.emailInput?.focus();
    }
  }

  private handleInput() {
    this.fieldError = '';
  }

  /** „Erneut versuchen" after a passing failure: the same address, as it is in the field. */
  private handleRetry() {
    this.renderRoot.querySelector('form')?.requestSubmit();
  }

  override render() {
    const pending = this.requestLink.busy;
    const failure = this.requestLink.failure;
    const error = failure?.error ?? null;
    const formError =
      failure && failure.code !== 'invalid_email' ? linkRequestErrorText(failure.error) : '';
    // A server or connection that is down for a moment: the same request may work soon.
    const retryable = mayWorkLater(error);

    return html`
      <h2>${msg('Im Kundenportal anmelden')}</h2>
      ${
        this.notice
          ? html`<div
              class="banner ${this.notice === 'logged_out' ? 'banner--info' : 'banner--warning'}"
              part="notice"
              role="status"
            >
              <p>${loginNoticeText(this.notice)}</p>
            </div>`
          : nothing
      }
      <p>
        ${msg(
          'Geben Sie Ihre E-Mail-Adresse ein. Wir senden Ihnen einen Link, der Sie direkt zu Ihrem Dashboard führt.',
        )}
      </p>
      <form part="form" novalidate @submit=${this.handleSubmit} aria-busy=${pending}>
        ${renderEmailField({
          id: 'email',
          label: msg('E-Mail-Adresse'),
          hint: msg(
            'Die Adresse, mit der Sie den Gate Pass gekauft haben. Im Zweifel finden Sie sie auf der Rechnung, die Sie nach dem Kauf per E-Mail erhalten haben.',
          ),
          autocomplete: 'email',
          value: this.email,
          error: this.fieldError,
          onInput: () => this.handleInput(),
        })}
        ${
          formError
            ? html`<div class="banner banner--danger" part="error" role="alert">
                <p>${formError}</p>
                ${
                  retryable
                    ? html`<button
                        type="button"
                        class="button button--secondary"
                        ?disabled=${pending}
                        @click=${this.handleRetry}
                      >
                        ${msg('Erneut versuchen')}
                      </button>`
                    : nothing
                }
              </div>`
            : nothing
        }
        <button type="submit" class="button button--primary" part="submit" ?disabled=${pending}>
          ${pending ? msg('Wird gesendet …') : msg('Link anfordern')}
        </button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-login-form': ConrooLoginForm;
  }
}
