import {fileURLToPath} from 'node:url';
import {Router} from 'express';

const built = fileURLToPath(new URL('../../dist-demo/stripe-js/stripe.js', import.meta.url));

/**
 * `GET /js/stripe.js`: the Stripe.js stand-in (`demo/stripe-js/`, built by `npm run build`),
 * as js.stripe.com serves Stripe.js: no key, any origin (the app's CORS header), revalidated
 * on every load so a rebuilt stand-in is picked up.
 */
export function createStripeJsRoutes(): Router {
  const router = Router();
  router.get('/js/stripe.js', (_req, res) => {
    res.sendFile(built, {headers: {'Cache-Control': 'no-cache'}}, (error) => {
      if (error && !res.headersSent) {
        res
          .status(404)
          .type('text/javascript')
          .send('// The Stripe.js stand-in is not built yet: run `npm run build`.\n');
      }
    });
  });
  return router;
}
