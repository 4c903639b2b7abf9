import type {LitElement, ReactiveController, ReactiveControllerHost} from 'lit';

/** What the view focus controller needs of the element. */
export interface ViewFocusHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Puts focus on the current view's first control (the dashboard: its heading) once the view is
 * on screen, after the user (or the session) moved to it, so a screen reader says where they are.
 */
export class ViewFocusController implements ReactiveController {
  private wanted = false;

  constructor(
    private readonly host: ViewFocusHost,
    /** Whether the view is on screen and can take focus (loaded, not a placeholder, visible). */
    private readonly viewShown: () => boolean,
  ) {
    host.addController(this);
  }

  /** Focus the view after the next render that shows it. */
  request() {
    this.wanted = true;
    this.host.requestUpdate();
  }

  hostUpdated() {
    if (this.wanted && this.viewShown()) {
      this.wanted = false;
      void this.focusView();
    }
  }

  private async focusView() {
    const view = this.host.renderRoot.querySelector<LitElement>(
      'conroo-login-form, conroo-check-mail, conroo-dashboard',
    );
    await view?.updateComplete;
    if (view?.localName === 'conroo-dashboard') {
      view.renderRoot.querySelector<HTMLElement>('.content > h2')?.focus();
    } else {
      view?.focus();
    }
  }
}
