import {html, type ReactiveControllerHost} from 'lit';
import {ContextConsumer} from '@lit/context';
import {Task, TaskStatus} from '@lit/task';
import type {SessionInfo} from '../../common/contract.js';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
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

/**
 * What every dashboard section starts with: the portal's API client and session (by context),
 * and its data loaded through a `Task` that loads again whenever either is replaced.
 */
export class SectionDataController<R> {
  readonly task: Task<readonly [PortalApiClient | undefined, unknown], R>;

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
      task: ([api], {signal}) => load(api!, signal),
      args: () => [this.api, dependsOn(this.session)] as const,
      onComplete,
    });
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

  /** Loading, then `complete` with the data, or the error with „Erneut versuchen". */
  render(complete: (value: R) => unknown) {
    const task = this.task;
    return html`<div aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
      ${task.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete,
        error: (error) => renderError(error, () => this.reload()),
      })}
    </div>`;
  }
}
