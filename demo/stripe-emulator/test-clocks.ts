/**
 * Test clocks (https://docs.stripe.com/billing/testing/test-clocks,
 * https://docs.stripe.com/api/test_clocks): a frozen time that customers created on the clock
 * (`customers.create({test_clock})`) live in, with their subscriptions and invoices, until the
 * clock is advanced or deleted.
 *
 * - Advancing is asynchronous, as on Stripe: the answer says `advancing` (with the target in
 *   `status_details`), and the clock settles on its next read or after
 *   {@link TEST_CLOCK_ADVANCE_MS}, whichever comes first — then every period that ended by the
 *   new time has renewed, exactly as `POST /dev/renew` renews (`renewDueBy`), and the clock
 *   is `ready` at the new `frozen_time`.
 * - The new time must be later, and at most two intervals of the shortest subscription on the
 *   clock ahead (two years without any), as the API reference for `advance` says.
 * - Deleting the clock deletes its customers and their subscriptions.
 */
import {Router, type Request, type Response} from 'express';
import type Stripe from 'stripe';
import {renewDueBy} from './billing.js';
import {deleteCustomer} from './customers.js';
import {invalidRequest, resourceMissing} from './errors.js';
import {expand, expandParam} from './expand.js';
import {addInterval, buildTestClock, clockOf, type Interval} from './objects.js';
import {allowOnly, optString, params, requiredString, type Params} from './params.js';
import type {EmulatorState} from './state.js';

/** How long a clock reads `advancing` when nobody reads it before. */
export const TEST_CLOCK_ADVANCE_MS = 100;

const endedStatuses: readonly Stripe.Subscription.Status[] = ['canceled', 'incomplete_expired'];

function input(req: Request): Params {
  return params(req.method === 'GET' || req.method === 'DELETE' ? req.query : req.body);
}

function timestamp(p: Params, name: string): number {
  const raw = requiredString(p, name);
  if (!/^\d+$/.test(raw)) throw invalidRequest(`Invalid timestamp: ${raw}`, name);
  return Number(raw);
}

function customersOn(state: EmulatorState, clockId: string): Stripe.Customer[] {
  return [...state.customers.values()].filter(
    (c): c is Stripe.Customer => !c.deleted && clockOf(c) === clockId,
  );
}

function subscriptionsOn(state: EmulatorState, clockId: string): Stripe.Subscription[] {
  return [...state.subscriptions.values()].filter((s) => clockOf(s) === clockId);
}

/** The latest time the clock may be advanced to now. */
function advanceLimit(state: EmulatorState, clock: Stripe.TestHelpers.TestClock): number {
  const limits = subscriptionsOn(state, clock.id)
    .filter((s) => !endedStatuses.includes(s.status))
    .map((s) => {
      const recurring = s.items.data[0]?.price.recurring;
      const interval = (recurring?.interval ?? 'year') as Interval;
      return addInterval(clock.frozen_time, interval, 2 * (recurring?.interval_count ?? 1));
    });
  return limits.length ? Math.min(...limits) : addInterval(clock.frozen_time, 'year', 2);
}

/**
 * Ends an advance: renews what fell due by the target, then moves the clock there. A clock that
 * is not advancing is answered as it is.
 */
function settleTestClock(
  state: EmulatorState,
  clockId: string,
): Stripe.TestHelpers.TestClock | undefined {
  const clock = state.testClocks.get(clockId);
  const target = clock?.status_details.advancing?.target_frozen_time;
  if (!clock || clock.status !== 'advancing' || target === undefined) return clock;
  for (const subscription of subscriptionsOn(state, clock.id)) {
    renewDueBy(state, subscription.id, target);
  }
  return state.put({...clock, frozen_time: target, status: 'ready', status_details: {}});
}

export function createTestClockRoutes(state: EmulatorState): Router {
  const router = Router();

  const send = (req: Request, res: Response, value: unknown): void => {
    res.json(expand(state, value, expandParam(input(req).expand)));
  };

  const clockOr404 = (req: Request): Stripe.TestHelpers.TestClock => {
    const id = String(req.params.id);
    const clock = state.testClocks.get(id);
    if (!clock) throw resourceMissing(id);
    return clock;
  };

  router.post('/v1/test_helpers/test_clocks', (req, res) => {
    const p = input(req);
    allowOnly(p, ['frozen_time', 'name']);
    const name = optString(p, 'name') ?? null;
    if (name && name.length > 300) {
      throw invalidRequest('The name can be at most 300 characters long.', 'name');
    }
    send(
      req,
      res,
      buildTestClock(state, {frozenTime: timestamp(p, 'frozen_time'), name, created: state.now()}),
    );
  });

  router.get('/v1/test_helpers/test_clocks/:id', (req, res) => {
    allowOnly(input(req), []);
    send(req, res, settleTestClock(state, clockOr404(req).id));
  });

  router.post('/v1/test_helpers/test_clocks/:id/advance', (req, res) => {
    const p = input(req);
    allowOnly(p, ['frozen_time']);
    const clock = clockOr404(req);
    if (clock.status === 'advancing') {
      throw invalidRequest(
        `The test clock ${clock.id} is advancing; advance it again once its status is ready.`,
      );
    }
    const target = timestamp(p, 'frozen_time');
    if (target <= clock.frozen_time) {
      throw invalidRequest(
        `The frozen_time must be after the test clock's current frozen_time (${clock.frozen_time}).`,
        'frozen_time',
      );
    }
    const limit = advanceLimit(state, clock);
    if (target > limit) {
      throw invalidRequest(
        `The frozen_time cannot be more than two intervals of the shortest subscription on this test clock (two years without one) ahead of its current frozen_time: at most ${limit}.`,
        'frozen_time',
      );
    }
    const advancing = state.put({
      ...clock,
      status: 'advancing',
      status_details: {advancing: {target_frozen_time: target}},
    });
    setTimeout(() => settleTestClock(state, clock.id), TEST_CLOCK_ADVANCE_MS).unref();
    send(req, res, advancing);
  });

  router.delete('/v1/test_helpers/test_clocks/:id', (req, res) => {
    allowOnly(input(req), []);
    const clock = clockOr404(req);
    for (const customer of customersOn(state, clock.id)) deleteCustomer(state, customer);
    for (const subscription of subscriptionsOn(state, clock.id)) state.remove(subscription.id);
    state.remove(clock.id);
    const deleted: Stripe.TestHelpers.DeletedTestClock = {
      id: clock.id,
      object: 'test_helpers.test_clock',
      deleted: true,
    };
    res.json(deleted);
  });

  return router;
}
