import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {takeLinkTokenFromLocation} from '../link-token.js';
import {
  hasSetupReturnInLocation,
  takeSetupReturnFromLocation,
  type SetupReturn,
} from '../payment-form/setup-return.js';

/** What the address bar controller needs of the element. */
export interface AddressBarHost extends ReactiveControllerHost, HTMLElement {
  readonly mode: 'inline' | 'dialog';
}

/**
 * Takes what the address bar brings for the portal and removes it at once: a mail link's token
 * (on the first connect, and when a link opened in this tab only changes the fragment) and the
 * result of a payment redirect (PayPal, 3-D Secure).
 */
export class AddressBarController implements ReactiveController {
  private started = false;

  constructor(
    private readonly host: AddressBarHost,
    private readonly receive: {
      /** A link's token; `later` says whether it came later (the fragment changed). */
      token(token: string, later: boolean): void;
      setupReturn(setupReturn: SetupReturn): void;
    },
  ) {
    host.addController(this);
  }

  hostConnected() {
    window.addEventListener('hashchange', this.handleHashChange);
    if (this.started) {
      return;
    }
    this.started = true;
    // Take the token before anything else can run, so it leaves the address bar at once.
    const token = takeLinkTokenFromLocation();
    if (token) {
      this.receive.token(token, false);
    }
    this.takeSetupReturn();
  }

  hostDisconnected() {
    window.removeEventListener('hashchange', this.handleHashChange);
  }

  /**
   * Only one portal on the page gets a redirect's result, the one of the mode that left
   * (remembered in sessionStorage), else the first.
   */
  private takeSetupReturn() {
    const setupReturn = takeSetupReturnFromLocation(this.host.mode);
    if (setupReturn) {
      this.receive.setupReturn(setupReturn);
    } else if (hasSetupReturnInLocation()) {
      // Meant for a portal of the other mode; if none took it once all have started, take it.
      setTimeout(() => {
        const unclaimed = this.host.isConnected
          ? takeSetupReturnFromLocation(this.host.mode, {anyPortal: true})
          : null;
        if (unclaimed) {
          this.receive.setupReturn(unclaimed);
        }
      });
    }
  }

  /** A mail link opened in a tab that already shows the page only changes the fragment. */
  private handleHashChange = () => {
    const token = takeLinkTokenFromLocation();
    if (token) {
      this.receive.token(token, true);
    }
  };
}
