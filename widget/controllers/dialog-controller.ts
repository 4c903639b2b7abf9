import type {ReactiveController, ReactiveControllerHost} from 'lit';

/** What the dialog controller needs of the element. */
export interface DialogHost extends ReactiveControllerHost {
  mode: 'inline' | 'dialog';
  open: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * `mode="dialog"`: keeps the native `<dialog>` in step with `open` (modal, so the page behind is
 * inert) and gives focus back to where it was when the dialog closes.
 */
export class DialogController implements ReactiveController {
  private returnFocusTo: Element | null = null;

  constructor(
    private readonly host: DialogHost,
    /** The dialog opened: focus its view once it is there. */
    private readonly opened: () => void,
  ) {
    host.addController(this);
  }

  hostUpdated() {
    const dialog = this.host.renderRoot.querySelector('dialog');
    if (this.host.mode !== 'dialog' || !dialog) {
      return;
    }
    if (this.host.open && !dialog.open) {
      this.returnFocusTo = document.activeElement;
      dialog.showModal();
      this.opened();
    } else if (!this.host.open && dialog.open) {
      dialog.close();
    }
  }

  /** The `<dialog>`'s `close` (its button, Escape, `hide()`). */
  readonly handleClose = () => {
    this.host.open = false;
    const target = this.returnFocusTo as HTMLElement | null;
    this.returnFocusTo = null;
    if (target?.isConnected && typeof target.focus === 'function') {
      target.focus();
    }
  };
}
