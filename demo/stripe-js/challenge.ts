import {LitElement, css, html} from 'lit';
import {customElement, property, query} from 'lit/decorators.js';
import type {StandInMessages} from './messages.js';

/** What the cardholder did in the challenge; Escape counts as giving up. */
export type ChallengeOutcome = 'authenticated' | 'failed';

/**
 * The 3-D Secure challenge as Stripe.js shows it for a test card: a modal over the page with
 * the issuer's test page, „Complete" or „Fail". Stripe.js keeps `confirmSetup` pending until it
 * is answered; so does the stand-in (`openChallenge`).
 *
 * @event demo-challenge-answered - `detail` is the `ChallengeOutcome` (does not bubble).
 */
@customElement('stripe-demo-challenge')
export class StripeDemoChallenge extends LitElement {
  static override styles = css`
    dialog {
      box-sizing: border-box;
      width: min(28rem, calc(100vw - 2rem));
      padding: 1.5rem;
      border: none;
      border-radius: 12px;
      background: #ffffff;
      color: #1a1f36;
      font:
        1rem/1.5 system-ui,
        -apple-system,
        'Segoe UI',
        Roboto,
        sans-serif;
      box-shadow: 0 8px 32px rgba(0, 0, 0, 0.3);
    }

    dialog::backdrop {
      background: rgba(10, 20, 40, 0.55);
    }

    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.25rem;
    }

    p {
      margin: 0 0 1rem;
    }

    .card {
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      background: #f6f8fb;
      font-weight: 600;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
    }

    button {
      min-height: 2.75rem;
      padding: 0.5rem 1rem;
      border: 1px solid #84878d;
      border-radius: 8px;
      background: #ffffff;
      color: inherit;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    button.primary {
      border-color: #0b5cff;
      background: #0b4fd6;
      color: #ffffff;
    }

    button:focus-visible {
      outline: 2px solid #1d4ed8;
      outline-offset: 2px;
    }
  `;

  @query('dialog') private dialog?: HTMLDialogElement;

  @property({attribute: false}) messages?: StandInMessages;

  /** „Visa •••• 3155", the card being confirmed. */
  @property() cardLabel = '';

  override firstUpdated() {
    this.dialog?.showModal();
  }

  private answer(outcome: ChallengeOutcome) {
    this.dialog?.close();
    this.dispatchEvent(new CustomEvent('demo-challenge-answered', {detail: outcome}));
  }

  private handleCancel(event: Event) {
    event.preventDefault();
    this.answer('failed');
  }

  override render() {
    const t = this.messages!;
    return html`<dialog aria-labelledby="title" @cancel=${this.handleCancel}>
      <h2 id="title">${t.challengeTitle}</h2>
      <p>${t.challengeText}</p>
      <p class="card">${this.cardLabel}</p>
      <div class="actions">
        <button type="button" class="primary" @click=${() => this.answer('authenticated')}>
          ${t.challengeComplete}
        </button>
        <button type="button" @click=${() => this.answer('failed')}>${t.challengeFail}</button>
      </div>
    </dialog>`;
  }
}

/** Shows the challenge over the page until it is answered, then takes it away again. */
export function openChallenge(messages: StandInMessages, cardLabel: string) {
  const challenge = document.createElement('stripe-demo-challenge');
  challenge.messages = messages;
  challenge.cardLabel = cardLabel;
  return new Promise<ChallengeOutcome>((resolve) => {
    challenge.addEventListener(
      'demo-challenge-answered',
      (event) => {
        challenge.remove();
        resolve((event as CustomEvent<ChallengeOutcome>).detail);
      },
      {once: true},
    );
    document.body.append(challenge);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'stripe-demo-challenge': StripeDemoChallenge;
  }
}
