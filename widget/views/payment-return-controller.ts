import type {ReactiveController, ReactiveControllerHost} from 'lit';

/**
 * „Jetzt bezahlen" opens Stripe's invoice page in a new tab. When the user comes back to this
 * tab afterwards, `onReturn` runs (once), so the section shows the invoice as paid.
 */
export class PaymentReturnController implements ReactiveController {
  private waiting = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly onReturn: () => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    document.addEventListener('visibilitychange', this.handleVisibilityChange);
  }

  hostDisconnected() {
    document.removeEventListener('visibilitychange', this.handleVisibilityChange);
  }

  /** Call when a pay link was followed. */
  paymentStarted = () => {
    this.waiting = true;
  };

  private handleVisibilityChange = () => {
    if (this.waiting && document.visibilityState === 'visible') {
      this.waiting = false;
      this.onReturn();
    }
  };
}
