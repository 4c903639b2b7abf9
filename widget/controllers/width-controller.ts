import type {ReactiveController, ReactiveControllerHost} from 'lit';

/**
 * The host's own width, kept up to date with a `ResizeObserver`, for an element that renders
 * different markup by the room it has (a table where columns fit, a list of cards where they do
 * not), which a container query cannot do. The host renders again when the width crosses
 * `breakpointRem`; until it is measured it counts as narrow.
 */
export class WidthController implements ReactiveController {
  /** Whether the host is at least `breakpointRem` wide. */
  wide = false;

  private observer?: ResizeObserver;
  private frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly breakpointRem: number,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? 0;
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const wide = width >= this.breakpointRem * rem;
      if (wide !== this.wide) {
        this.wide = wide;
        // Rendered in the next frame: the other markup changes the host's height, and a size
        // change inside the observer's own round is a „ResizeObserver loop" error.
        cancelAnimationFrame(this.frame);
        this.frame = requestAnimationFrame(() => this.host.requestUpdate());
      }
    });
    this.observer.observe(this.host);
  }

  hostDisconnected() {
    this.observer?.disconnect();
    this.observer = undefined;
    cancelAnimationFrame(this.frame);
  }
}
