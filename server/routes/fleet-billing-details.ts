import {Router} from 'express';
import {z} from 'zod';
import {MAX_FLEET_BILLING_IDS, type FleetBillingResult} from '../../common/contract.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {fieldCheck, parse} from '../http/validate.js';
import type {Logger} from '../logger.js';
import type {BackgroundTasks} from '../services/background.js';
import {validateBillingDetails} from '../services/billing-details.js';
import type {BillingDetailsSaves} from '../services/billing-details-save.js';
import type {FleetAccess} from '../services/fleet-access.js';
import {FleetBillingSaves} from '../services/fleet-billing-details.js';
import type {NoticeOwner} from '../services/owner-notices.js';
import type {SessionClaims} from '../services/session-tokens.js';

/** Asked for with `Accept: application/x-ndjson`: one result a line, as each account finishes. */
const NDJSON = 'application/x-ndjson';

const FleetBillingBody = z.strictObject({
  customerIds: z.array(z.string().max(255)).superRefine((ids, ctx) => {
    if (ids.length === 0) {
      ctx.addIssue({code: 'custom', ...fieldCheck({code: 'required'}, 'at least one ID')});
    } else if (ids.length > MAX_FLEET_BILLING_IDS) {
      ctx.addIssue({
        code: 'custom',
        ...fieldCheck(
          {code: 'too_long', params: {max: MAX_FLEET_BILLING_IDS}},
          `at most ${MAX_FLEET_BILLING_IDS} IDs; send more in turns`,
        ),
      });
    }
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          ...fieldCheck({code: 'invalid'}, 'listed before: each ID at most once'),
        });
      }
      seen.add(id);
    });
  }),
  // Validated as `PUT /api/billing-details` validates its body, below.
  details: z.unknown(),
});

/**
 * „Rechnung und Versand" for many accounts (a carrier's fleet): `PUT /api/fleet/billing-details`.
 * The ID list is checked first (`400 invalid_request`), then the details exactly as the single
 * save checks them (`422 validation_failed`, field paths as there): a bad request saves
 * nothing. Then a `200` with a result per account; `onSaved` runs after the answer for each
 * account saved (the owner's notice).
 */
export function fleetBillingDetailsRoutes(deps: {
  saves: BillingDetailsSaves;
  access: FleetAccess;
  cookie: SessionCookie;
  background: BackgroundTasks;
  log: Logger;
  /** `FLEET_CONCURRENCY`: accounts saved at a time. */
  concurrency: number;
  /** Who to tell of an account's save, read before it (after it, the cache forgot it). */
  ownerOf?: (customerId: string) => Promise<NoticeOwner | null>;
  onSaved?: (
    customerId: string,
    session: SessionClaims,
    owner: NoticeOwner | null | undefined,
  ) => void | Promise<void>;
}): Router {
  const {access, background, ownerOf, onSaved} = deps;
  const fleetSaves = new FleetBillingSaves(deps.saves, {
    concurrency: deps.concurrency,
    log: deps.log,
  });
  const router = Router();

  router.put('/fleet/billing-details', deps.cookie.required(), async (req, res) => {
    const {customerIds} = parse(FleetBillingBody, req.body);
    const details = validateBillingDetails((req.body as {details?: unknown}).details);
    const session = sessionOf(res);
    const save = (onResult?: (result: FleetBillingResult) => void) =>
      fleetSaves.saveAll(customerIds, details, {
        by: session.email,
        holds: (customerId) => access.holds(session, customerId),
        prepare: ownerOf,
        onSaved:
          onSaved && ((id, owner) => background.run(async () => onSaved(id, session, owner))),
        onResult,
      });
    res.vary('Accept');
    if (req.accepts(['application/json', NDJSON]) !== NDJSON) {
      res.json({results: await save()});
      return;
    }
    // The status is sent now; each line follows as its account is done. A client that counts
    // fewer lines than IDs when the stream ends lost the connection: those rows are unknown.
    res.status(200).set('Content-Type', `${NDJSON}; charset=utf-8`);
    res.flushHeaders();
    try {
      await save((result) => {
        if (!res.destroyed) res.write(`${JSON.stringify(result)}\n`);
      });
    } catch (error) {
      // Rows never throw; whatever did, the stream is cut so that no client reads it as done.
      deps.log.error('fleet billing details stream failed', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      res.destroy();
      return;
    }
    res.end();
  });

  return router;
}
