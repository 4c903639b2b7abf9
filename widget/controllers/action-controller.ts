import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {ErrorCode} from '../../common/contract.js';
import {ApiError, sessionEnded, type ClientErrorCode} from '../api/portal-api-client.js';

/** Why an action failed: the server's code, or `unexpected` for anything that is no `ApiError`. */
export type ActionErrorCode = ErrorCode | ClientErrorCode | 'unexpected';

/** A failed action: what it worked on, the code to choose the words by, and the error itself. */
export interface ActionFailure<K> {
  key: K;
  code: ActionErrorCode;
  error: unknown;
}

/**
 * How a run ended. `dropped`: it was aborted (a newer run, the host left the page) or the session
 * ended, which the portal answers with its login form; there is nothing to tell the user here.
 */
export type ActionOutcome<T> =
  | {status: 'done'; value: T}
  | {status: 'failed'; code: ActionErrorCode; error: unknown}
  | {status: 'dropped'};

export function actionErrorCode(error: unknown): ActionErrorCode {
  return error instanceof ApiError ? error.code : 'unexpected';
}

/**
 * A user action of a section (save, remove, set default, download …): one at a time, busy while
 * it runs, aborted by a newer run and when the host leaves the page, its failure kept as a code.
 * The host re-renders whenever that changes.
 *
 * `K` names what a run works on (a payment method's id, a download's URL), so a section can tell
 * which of its items is busy or failed.
 *
 * A controller rather than `Task` with `autoRun: false`: an action's caller needs its outcome
 * where it started it (notice, event, focus, the next step of a flow), `Task.run()` resolves to
 * nothing; a `Task` is not aborted when its host leaves the page; and an ended session, which
 * the portal answers with its login form, would show as the section's error.
 */
export class ActionController<K = true> implements ReactiveController {
  /** What the running action works on; `undefined` while none runs. */
  running?: K;
  /** Why the last run failed, until the next run or `clearFailure()`. */
  failure?: ActionFailure<K>;

  private abortController?: AbortController;

  /**
   * `keepOnDisconnect`: a run goes on when the host leaves the page, for an action whose outcome
   * matters beyond it (the login form in a dialog closed while its link is requested: the
   * portal still moves on to „Prüfen Sie Ihr Postfach").
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: {keepOnDisconnect?: boolean} = {},
  ) {
    host.addController(this);
  }

  /** Whether an action runs. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  hostDisconnected() {
    if (!this.options.keepOnDisconnect) {
      this.abort();
    }
  }

  /** Runs `work` for `key`, aborting the run before it; `work` gets the signal to pass on. */
  async run<T>(key: K, work: (signal: AbortSignal) => Promise<T>): Promise<ActionOutcome<T>> {
    this.abortController?.abort();
    const abortController = new AbortController();
    const {signal} = abortController;
    this.abortController = abortController;
    this.running = key;
    this.failure = undefined;
    this.host.requestUpdate();
    try {
      const value = await work(signal);
      return signal.aborted ? {status: 'dropped'} : {status: 'done', value};
    } catch (error) {
      if (signal.aborted || sessionEnded(error)) {
        return {status: 'dropped'};
      }
      const code = actionErrorCode(error);
      this.failure = {key, code, error};
      return {status: 'failed', code, error};
    } finally {
      if (this.abortController === abortController) {
        this.abortController = undefined;
        this.running = undefined;
      }
      this.host.requestUpdate();
    }
  }

  /** Stops the running action, if any; its run ends `dropped`. */
  abort() {
    if (!this.abortController) {
      return;
    }
    this.abortController.abort();
    this.abortController = undefined;
    this.running = undefined;
    this.host.requestUpdate();
  }

  clearFailure() {
    if (this.failure) {
      this.failure = undefined;
      this.host.requestUpdate();
    }
  }
}
