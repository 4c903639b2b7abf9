import {Router, type RequestHandler} from 'express';
import {z} from 'zod';
import type {PaymentMethodResponse} from '../../common/contract.js';
import {activeCustomerOf} from '../http/active-account.js';
import {sessionOf} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {OwnerNotices} from '../services/owner-notices.js';
import type {PaymentMethodService} from '../services/payment-methods.js';

const CompleteBody = z.strictObject({setupIntentId: z.string().max(255)});
const NoBody = z.strictObject({});

/**
 * The writes of „Zahlungsmethoden". Reads live with the account routes. Each change is told to
 * the Gate Pass owner after the answer (`OwnerNotices`).
 */
export function paymentMethodRoutes(deps: {
  paymentMethods: PaymentMethodService;
  notices: OwnerNotices;
  /** `activeAccount`: a session that still holds its active customer. */
  active: RequestHandler;
}): Router {
  const {paymentMethods, notices, active} = deps;
  const router = Router();

  router.post('/payment-methods/setup-intents', active, async (req, res) => {
    parse(NoBody, req.body);
    res.status(201).json(await paymentMethods.createSetupIntent(activeCustomerOf(res)));
  });

  router.post('/payment-methods/setup-intents/complete', active, async (req, res) => {
    const {setupIntentId} = parse(CompleteBody, req.body);
    const customerId = activeCustomerOf(res);
    const answer: PaymentMethodResponse = {
      paymentMethod: await paymentMethods.completeSetup(customerId, setupIntentId),
    };
    res.json(answer);
    // Completing the same SetupIntent again (a reload after the redirect) is no news.
    notices.changed(
      customerId,
      {kind: 'payment_method_added', paymentMethod: answer.paymentMethod},
      sessionOf(res),
      {once: setupIntentId},
    );
  });

  router.post('/payment-methods/:id/default', active, async (req, res) => {
    parse(NoBody, req.body);
    const customerId = activeCustomerOf(res);
    const answer: PaymentMethodResponse = {
      paymentMethod: await paymentMethods.setDefault(customerId, String(req.params.id)),
    };
    res.json(answer);
    notices.changed(
      customerId,
      {kind: 'payment_method_default', paymentMethod: answer.paymentMethod},
      sessionOf(res),
    );
  });

  router.delete('/payment-methods/:id', active, async (req, res) => {
    const customerId = activeCustomerOf(res);
    const removed = await paymentMethods.remove(customerId, String(req.params.id));
    res.status(204).end();
    notices.changed(
      customerId,
      {kind: 'payment_method_removed', paymentMethod: removed},
      sessionOf(res),
    );
  });

  return router;
}
