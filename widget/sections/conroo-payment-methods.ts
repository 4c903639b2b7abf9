import {LitElement, css, html} from 'lit';
import {customElement} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {PaymentMethod, SessionInfo} from '../../server/contract.js';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {sessionContext} from '../context/session-context.js';
import {billingFragmentStyles, portalStyles} from '../styles/portal-styles.js';
import {renderPaymentMethod} from '../views/billing-fragments.js';
import {renderEmpty, renderError, renderLoading} from '../views/section-states.js';

/**
 * @summary „Zahlungsmethoden": every payment method of the account, the default one marked.
 *
 * @csspart list - The list of payment methods.
 * @csspart item - One payment method.
 */
@localized()
@customElement('conroo-payment-methods')
export class ConrooPaymentMethods extends LitElement {
  static override styles = [
    portalStyles,
    billingFragmentStyles,
    css`
      :host {
        display: block;
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }

      li.card {
        padding-block: 0.875rem;
      }

      li.is-default {
        border-color: var(--conroo-accent-border);
        box-shadow: inset 4px 0 0 var(--conroo-accent);
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  private api?: PortalApiClient;

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  private readonly paymentMethodsTask = new Task(this, {
    task: ([api], {signal}) => api!.getPaymentMethods(signal),
    args: () => [this.api, this.session] as const,
  });

  private renderList(methods: PaymentMethod[]) {
    if (!methods.length) {
      return renderEmpty(msg('Für dieses Konto ist keine Zahlungsmethode hinterlegt.'));
    }
    // The default first: it is the one the next renewal charges.
    const ordered = [...methods].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    return html`<p class="muted">
        ${msg('Die Standard-Zahlungsmethode wird bei der nächsten Verlängerung belastet.')}
      </p>
      <ul part="list">
        ${ordered.map(
          (method) =>
            html`<li class="card ${method.isDefault ? 'is-default' : ''}" part="item">
              ${renderPaymentMethod(method, {showDefault: true})}
            </li>`,
        )}
      </ul>`;
  }

  override render() {
    return html`<div
      aria-busy=${this.paymentMethodsTask.status === TaskStatus.PENDING ? 'true' : 'false'}
    >
      ${this.paymentMethodsTask.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete: ({paymentMethods}) => this.renderList(paymentMethods),
        error: (error) => renderError(error, () => this.paymentMethodsTask.run()),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-payment-methods': ConrooPaymentMethods;
  }
}
