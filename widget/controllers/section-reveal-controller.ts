import type {ReactiveController, ReactiveControllerHost} from 'lit';

/** What the section reveal controller brings into view, found after each render. */
export interface RevealTarget {
  /**
   * An empty, hidden box (`position: absolute` in `area`, `aria-hidden`): placed over the range
   * from `start` to the end of `end`, it is what the controller scrolls into view, so that the
   * browser scrolls every scroll container only as far as needed, minds their `scroll-padding`
   * (the dialog's sticky title bar) and the box's `scroll-margin`, and scrolls the range as one.
   */
  box: HTMLElement;
  /** The box's containing block (`position: relative`), whose size changes as content arrives. */
  area: HTMLElement;
  /** Where the range starts (the section's heading). */
  start: Element;
  /** Where it ends: the first card once there, else what shows meanwhile (loading). */
  end?: Element;
  /** Whether `end` is the section's first card (or its empty or error state): nothing more comes. */
  complete: boolean;
}

/** What a user does that ends revealing: they scroll, touch, click or type themselves. */
const userInputs = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;

/** The longest a reveal waits for the section's first card (a slow answer from the server). */
const patienceMs = 10_000;

/**
 * Brings the dashboard's section into view after the user moved to it (a mail link opened, a
 * section chosen): its heading and the start of its content, its first card. It scrolls only
 * as far as needed (`block: 'nearest'`; the heading wins when both do not fit), smoothly unless
 * the user prefers reduced motion, and again while the section's content arrives and grows,
 * until the first card is there, the user scrolls, touches or types, or ten seconds pass.
 *
 * It never scrolls on its own: only `reveal()` starts it. Focus is the host's business (it
 * focuses the heading with `preventScroll`, so that focus does not scroll by accident).
 */
export class SectionRevealController implements ReactiveController {
  private observer?: ResizeObserver;
  private timer = 0;
  private frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** What to bring into view now; `undefined` while the section is not rendered. */
    private readonly target: () => RevealTarget | undefined,
  ) {
    host.addController(this);
  }

  /** Whether a reveal is running (waiting for the section's first card). */
  get active(): boolean {
    return this.observer !== undefined;
  }

  /** Brings the section into view now and as its content arrives. */
  reveal() {
    this.stop();
    const target = this.target();
    if (!target) {
      return;
    }
    // A resize observer reports every element once when it starts, and then each change in size:
    // the section's loading state giving way to its cards, a banner above them.
    this.observer = new ResizeObserver(() => this.scheduleRun());
    this.observer.observe(target.area);
    for (const type of userInputs) {
      window.addEventListener(type, this.stop, {capture: true, passive: true});
    }
    this.timer = window.setTimeout(this.stop, patienceMs);
  }

  /** Stops revealing (the user took over, the section is there, the host left the page). */
  readonly stop = () => {
    this.observer?.disconnect();
    this.observer = undefined;
    clearTimeout(this.timer);
    cancelAnimationFrame(this.frame);
    for (const type of userInputs) {
      window.removeEventListener(type, this.stop, {capture: true});
    }
  };

  hostDisconnected() {
    this.stop();
  }

  /** In the next frame: the sections render after the dashboard, and the observer reports early. */
  private scheduleRun() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.run());
  }

  private run() {
    const target = this.target();
    if (!target || !this.observer) {
      return;
    }
    const {box, area, start, end, complete} = target;
    const origin = area.getBoundingClientRect();
    const from = start.getBoundingClientRect();
    const to = end?.getBoundingClientRect() ?? from;
    box.style.top = `${from.top - origin.top}px`;
    box.style.height = `${Math.max(from.bottom, to.bottom) - from.top}px`;
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
    box.scrollIntoView({
      block: 'nearest',
      inline: 'nearest',
      behavior: reduce ? 'instant' : 'smooth',
    });
    if (complete) {
      this.stop();
    }
  }
}
