import {html, nothing, type ReactiveController, type ReactiveControllerHost} from 'lit';
import {ContextConsumer} from '@lit/context';
import {msg, str} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {SessionInfo} from '../../common/contract.js';
import {isServiceUnavailable, type PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {formatWaitTime} from '../intl.js';
import {sessionContext} from '../context/session-context.js';
import {renderError, renderLoading} from '../views/section-states.js';

export interface SectionDataOptions<R> {
  /** Loads the section's data; `signal` aborts it when a newer load starts. */
  load: (api: PortalApiClient, signal: AbortSignal) => Promise<R>;
  /** Runs after each successful load. */
  onComplete?: (value: R) => void;
  /**
   * What of the session the data depends on (compared by identity); by default the session
   * itself, so that any change of it loads again.
   */
  dependsOn?: (session: SessionInfo | undefined) => unknown;
}

/** Loads tried again by themselves after a 503 in a row; then only „Erneut versuchen". */
const MAX_AUTO_RETRIES = 10;

/**
 * What every dashboard section starts with: the portal's API client and session (by context),
 * and its data loaded through a `Task` that loads again whenever either is replaced.
 *
 * A load answered `503` with `Retry-After` (the portal busy on renewal day, or Redis or Stripe
 * away for a moment) is tried again by itself after that many seconds plus up to half again, so
 * that drivers turned away together do not all come back in the same second; the section says
 * when. Only loads: a save is the user's to repeat.
 */
export class SectionDataController<R> implements ReactiveController {
  readonly task: Task<readonly [PortalApiClient | undefined, unknown], R>;
  /** Seconds until the scheduled retry, as said on screen; `null` when none is scheduled. */
  private retryIn: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private autoRetries = 0;

  private readonly apiConsumer: ContextConsumer<
    typeof apiClientContext,
    HTMLElement & ReactiveControllerHost
  >;
  private readonly sessionConsumer: ContextConsumer<
    typeof sessionContext,
    HTMLElement & ReactiveControllerHost
  >;

  constructor(
    host: HTMLElement & ReactiveControllerHost,
    {load, onComplete, dependsOn = (session) => session}: SectionDataOptions<R>,
  ) {
    this.apiConsumer = new ContextConsumer(host, {context: apiClientContext, subscribe: true});
    this.sessionConsumer = new ContextConsumer(host, {context: sessionContext, subscribe: true});
    this.task = new Task(host, {
      task: ([api], {signal}) => {
        this.cancelRetry();
        return load(api!, signal);
      },
      args: () => [this.api, dependsOn(this.session)] as const,
      onComplete: (value) => {
        this.autoRetries = 0;
        onComplete?.(value);
      },
      onError: (error) => this.scheduleRetry(error),
    });
    host.addController(this);
  }

  hostDisconnected() {
    this.cancelRetry();
  }

  /** The portal's API client; set once the section is connected inside the portal. */
  get api(): PortalApiClient | undefined {
    return this.apiConsumer.value;
  }

  get session(): SessionInfo | undefined {
    return this.sessionConsumer.value;
  }

  /** Loads the data again (after a change elsewhere, or „Erneut versuchen"). */
  reload() {
    void this.task.run();
  }

  private scheduleRetry(error: unknown) {
    if (!isServiceUnavailable(error) || !error.retryAfter) return;
    if (this.autoRetries >= MAX_AUTO_RETRIES) return;
    this.autoRetries += 1;
    const delayMs = error.retryAfter * 1000 * (1 + Math.random() / 2);
    this.retryIn = Math.ceil(delayMs / 1000);
    this.retryTimer = setTimeout(() => this.reload(), delayMs);
  }

  private cancelRetry() {
    clearTimeout(this.retryTimer);
    this.retryIn = null;
  }

  /** Loading, then `complete` with the data, or the error with „Erneut versuchen". */
  render(complete: (value: R) => unknown) {
    const task = this.task;
    return html`<div aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
      ${task.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete,
        error: (error) => [
          renderError(error, () => this.reload()),
          this.retryIn === null
            ? nothing
            : html`<p class="muted" part="retry-notice" role="status">
                ${msg(str`Wir versuchen es in ${formatWaitTime(this.retryIn)} automatisch erneut.`)}
              </p>`,
        ],
      })}
    </div>`;
  }
}
