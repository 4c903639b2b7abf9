import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {LazyPart} from '../lazy-part.js';

/**
 * Loads the parts (chunks) the portal's views come from when a view needs one, and keeps what
 * failed, so that the view shows the failure with „Erneut versuchen".
 */
export class LazyPartsController implements ReactiveController {
  private readonly errors = new Map<LazyPart, unknown>();
  private readonly loading = new Set<LazyPart>();
  private view?: string;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The view, the part it needs now (if any) and one to fetch ahead while it shows. */
    private readonly wanted: () => {view: string; now?: LazyPart; next?: LazyPart},
  ) {
    host.addController(this);
  }

  hostUpdate() {
    const {view, now, next} = this.wanted();
    // Coming to a view tries its part again; staying on it waits for „Erneut versuchen".
    const arrived = view !== this.view;
    this.view = view;
    if (now && (arrived || !this.errors.has(now))) {
      this.load(now);
    }
    if (next && !this.errors.has(next)) {
      this.load(next);
    }
  }

  /** Why `part` failed to load, if it did. */
  error(part: LazyPart): unknown {
    return this.errors.get(part);
  }

  failed(part: LazyPart): boolean {
    return this.errors.has(part);
  }

  /** Loads a part once; the host renders again when it is there or has failed. */
  load(part: LazyPart) {
    if (part.loaded || this.loading.has(part)) {
      return;
    }
    this.loading.add(part);
    this.errors.delete(part);
    part
      .load()
      .catch((error: unknown) => this.errors.set(part, error))
      .finally(() => {
        this.loading.delete(part);
        this.host.requestUpdate();
      });
  }
}
