import type {LitElement, ReactiveController, ReactiveControllerHost} from 'lit';
import type {ConrooDashboard} from '../views/conroo-dashboard.js';

/** What the view focus controller needs of the element. */
export interface ViewFocusHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Puts focus on the current view's first control (the dashboard: its heading) once the view is
 * on screen, after the user (or the session) moved to it, so a screen reader says where they are.
 * After a mail link, the dashboard also brings its heading and first card into view.
 */
export class ViewFocusController implements ReactiveController {
  private wanted = false;
  private reveal = false;

  constructor(
    private readonly host: ViewFocusHost,
    /** Whether the view is on screen and can take focus (loaded, not a placeholder, visible). */
    private readonly viewShown: () => boolean,
  ) {
    host.addController(this);
  }

  /**
   * Focus the view after the next render that shows it; `reveal` (a mail link was opened): the
   * dashboard also scrolls its section into view.
   */
  request(reveal = false) {
    this.wanted = true;
    this.reveal ||= reveal;
    this.host.requestUpdate();
  }

  hostUpdated() {
    if (this.wanted && this.viewShown()) {
      this.wanted = false;
      void this.focusView(this.reveal);
      this.reveal = false;
    }
  }

  private async focusView(reveal: boolean) {
    const view = this.host.renderRoot.querySelector<LitElement>(
      'conroo-login-form, conroo-check-mail, conroo-dashboard',
    );
    await view?.updateComplete;
    if (view?.localName === 'conroo-dashboard') {
      (view as ConrooDashboard).focusSection({reveal});
    } else {
      view?.focus();
    }
  }
}
