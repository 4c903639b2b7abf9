import {Router} from 'express';
import {z} from 'zod';
import type {PaymentMethodResponse} from '../../common/contract.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {PaymentMethodService} from '../services/payment-methods.js';

const CompleteBody = z.strictObject({setupIntentId: z.string().max(255)});
const NoBody = z.strictObject({});

/** The writes of „Zahlungsmethoden". Reads live with the account routes. */
export function paymentMethodRoutes(deps: {
  paymentMethods: PaymentMethodService;
  cookie: SessionCookie;
}): Router {
  const {paymentMethods, cookie} = deps;
  const router = Router();
  const authenticated = cookie.required();

  router.post('/payment-methods/setup-intents', authenticated, async (req, res) => {
    parse(NoBody, req.body);
    res.status(201).json(await paymentMethods.createSetupIntent(sessionOf(res).activeCustomerId));
  });

  router.post('/payment-methods/setup-intents/complete', authenticated, async (req, res) => {
    const {setupIntentId} = parse(CompleteBody, req.body);
    const answer: PaymentMethodResponse = {
      paymentMethod: await paymentMethods.completeSetup(
        sessionOf(res).activeCustomerId,
        setupIntentId,
      ),
    };
    res.json(answer);
  });

  router.post('/payment-methods/:id/default', authenticated, async (req, res) => {
    parse(NoBody, req.body);
    const answer: PaymentMethodResponse = {
      paymentMethod: await paymentMethods.setDefault(
        sessionOf(res).activeCustomerId,
        String(req.params.id),
      ),
    };
    res.json(answer);
  });

  router.delete('/payment-methods/:id', authenticated, async (_req, res) => {
    await paymentMethods.remove(sessionOf(res).activeCustomerId, String(_req.params.id));
    res.status(204).end();
  });

  return router;
}
