import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {
  ApiErrorBody,
  BillingDetailsRequest,
  FleetBillingResult,
} from '../../common/contract.js';
import {saveFleetBillingDetails} from '../api/fleet-api.js';
import {ApiError, sessionEnded, type PortalApiClient} from '../api/portal-api-client.js';
import {actionErrorCode, type ActionErrorCode} from '../controllers/action-controller.js';
import {chunked} from './fleet-model.js';

/** Where one driver's save of the same billing details stands. */
export type BulkRowState =
  | {status: 'waiting'}
  | {status: 'saving'}
  | {status: 'saved'}
  /** Accepted; completed as soon as Stripe answers (`save_pending`). */
  | {status: 'pending'}
  | {status: 'failed'; code: ActionErrorCode; fields?: ApiErrorBody['error']['fields']};

/** How a run ended. */
export interface BulkOutcome {
  /** The drivers saved in this run. */
  saved: string[];
  /** A `422` for the details as such (nothing more was sent): the fields to fix. */
  invalid?: ApiError;
}

export interface BulkBillingOptions {
  api: () => PortalApiClient | undefined;
  /** Each driver's answer, as a chunk's answer arrives. */
  onResults?: (results: FleetBillingResult[], details: BillingDetailsRequest) => void;
  /** Drivers per request. */
  chunkSize?: number;
  /** Requests under way at once. */
  parallel?: number;
}

function rowState(result: FleetBillingResult | undefined): BulkRowState {
  if (!result) {
    return {status: 'failed', code: 'unexpected_response'};
  }
  if (result.status === 'saved') {
    return {status: 'saved'};
  }
  const code = result.error?.code ?? 'unexpected_response';
  return code === 'save_pending'
    ? {status: 'pending'}
    : {status: 'failed', code, fields: result.error?.fields};
}

/**
 * The same billing details for many drivers (`PUT /api/fleet/billing-details`), sent in small
 * chunks (five drivers, two requests at a time) so that each row shows its result as soon as
 * its chunk is answered, not after the slowest of 300. A `422` for the details as such stops
 * the run: the rest would be refused the same way. One run at a time; leaving the page aborts
 * it (what was answered stays saved on the server).
 */
export class BulkBillingController implements ReactiveController {
  /** Each driver's state in the latest run that included it, by customer ID. */
  readonly rows = new Map<string, BulkRowState>();
  /** The details of the latest run (for „Fehlgeschlagene erneut versuchen"). */
  details?: BillingDetailsRequest;
  /** The drivers of the latest run. */
  runIds: string[] = [];

  private abortController?: AbortController;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: BulkBillingOptions,
  ) {
    host.addController(this);
  }

  /** Whether a run is under way. */
  get running(): boolean {
    return this.abortController !== undefined;
  }

  hostDisconnected() {
    this.abortController?.abort();
    this.abortController = undefined;
  }

  /** How many drivers of the latest run are in `status`. */
  count(status: BulkRowState['status']): number {
    return this.runIds.filter((id) => this.rows.get(id)?.status === status).length;
  }

  /** The drivers of the latest run whose save failed. */
  failedIds(): string[] {
    return this.runIds.filter((id) => this.rows.get(id)?.status === 'failed');
  }

  /** Saves `details` for every driver of `customerIds`. */
  async run(customerIds: string[], details: BillingDetailsRequest): Promise<BulkOutcome> {
    const api = this.options.api();
    if (!api || this.running || !customerIds.length) {
      return {saved: []};
    }
    const abortController = new AbortController();
    const {signal} = abortController;
    this.abortController = abortController;
    this.details = details;
    this.runIds = [...customerIds];
    for (const id of customerIds) {
      this.rows.set(id, {status: 'waiting'});
    }
    this.host.requestUpdate();

    const queue = chunked(customerIds, this.options.chunkSize ?? 5);
    let invalid: ApiError | undefined;
    const send = async () => {
      while (queue.length && !invalid && !signal.aborted) {
        const ids = queue.shift()!;
        this.mark(ids, {status: 'saving'});
        try {
          const {results} = await saveFleetBillingDetails(api, ids, details, signal);
          const byId = new Map(results.map((result) => [result.customerId, result]));
          for (const id of ids) {
            this.rows.set(id, rowState(byId.get(id)));
          }
          this.options.onResults?.(results, details);
        } catch (error) {
          if (signal.aborted || sessionEnded(error)) {
            return;
          }
          if (error instanceof ApiError && error.code === 'validation_failed') {
            invalid = error;
            this.mark(ids, {status: 'waiting'});
          } else {
            this.mark(ids, {status: 'failed', code: actionErrorCode(error)});
          }
        }
        this.host.requestUpdate();
      }
    };
    await Promise.all(Array.from({length: this.options.parallel ?? 2}, send));

    // What was never sent (stopped by a 422, aborted) has no result: as before the run.
    for (const id of customerIds) {
      const status = this.rows.get(id)?.status;
      if (status === 'waiting' || status === 'saving') {
        this.rows.delete(id);
      }
    }
    if (this.abortController === abortController) {
      this.abortController = undefined;
    }
    this.host.requestUpdate();
    return {saved: customerIds.filter((id) => this.rows.get(id)?.status === 'saved'), invalid};
  }

  /** „Fehlgeschlagene erneut versuchen": the failed drivers of the latest run, same details. */
  retryFailed(): Promise<BulkOutcome> {
    return this.details ? this.run(this.failedIds(), this.details) : Promise.resolve({saved: []});
  }

  private mark(ids: string[], state: BulkRowState) {
    for (const id of ids) {
      this.rows.set(id, state);
    }
    this.host.requestUpdate();
  }
}
