import cookieParser from 'cookie-parser';
import express, {type Express} from 'express';
import helmet from 'helmet';
import type Stripe from 'stripe';
import {withRetries, type Mailer} from './adapters/mailer.js';
import type {FetchStripeFile} from './adapters/stripe-files.js';
import {withinApiRequest} from './adapters/stripe-budget.js';
import type {Config} from './config.js';
import {corsForOrigins, requireTrustedWrite} from './http/guards.js';
import {activeAccount} from './http/active-account.js';
import {errorHandler, notFoundHandler} from './http/errors.js';
import {requestLog} from './http/request-log.js';
import {SessionCookie} from './http/session.js';
import type {Logger} from './logger.js';
import {accountRoutes} from './routes/account.js';
import {authRoutes} from './routes/auth.js';
import {billingDetailsRoutes} from './routes/billing-details.js';
import {fleetBillingDetailsRoutes} from './routes/fleet-billing-details.js';
import {fleetInvoiceRoutes} from './routes/fleet-invoices.js';
import {carrierAccessRoutes} from './routes/carrier-access.js';
import {invoiceRoutes} from './routes/invoices.js';
import {paymentMethodRoutes} from './routes/payment-methods.js';
import {stripeWebhookRoutes} from './routes/stripe-webhook.js';
import {BackgroundTasks} from './services/background.js';
import {BillingService} from './services/billing.js';
import {BillingDetailsSaves} from './services/billing-details-save.js';
import {CarrierAccessService} from './services/carrier-access.js';
import {CarrierGrantMails} from './services/carrier-grant-mails.js';
import {CustomerCache} from './services/customer-cache.js';
import {heldAccountsFleetAccess} from './services/fleet-access.js';
import {HeldAccounts} from './services/held-accounts.js';
import {RecentOwners} from './services/recent-owners.js';
import {InvoiceDocuments} from './services/invoice-documents.js';
import {EInvoices} from './services/e-invoice/e-invoices.js';
import {MagicLinkService} from './services/magic-links.js';
import {OwnerNotices} from './services/owner-notices.js';
import {PaymentMethodService} from './services/payment-methods.js';
import {ProductNames} from './services/product-names.js';
import {RecentGrants} from './services/recent-grants.js';
import {SessionTokens} from './services/session-tokens.js';
import type {Store} from './store/store.js';

export interface AppDeps {
  stripe: Stripe;
  mailer: Mailer;
  store: Store;
  log: Logger;
  /** The clock in Unix seconds; tests move it to prove expiry. */
  now?: () => number;
  /**
   * How invoice PDFs travel from Stripe's file hosts (default: `fetch`). The demo and the tests
   * carry them to the emulator; the URLs are checked against `STRIPE_PDF_HOSTS` all the same.
   */
  fetchStripeFile?: FetchStripeFile;
}

export interface PortalApp extends Express {
  /**
   * Resolves when the background work started so far has finished (shutdown, tests): the
   * look-up and mail behind each login link, billing-details saves that outlived their answer,
   * and a running sweep.
   */
  drain(): Promise<void>;
  /**
   * Shutdown has begun: from now on `/readyz` answers 503, so that the load balancer stops
   * sending requests here; the periodic sweep of unfinished saves stops, and a running sweep
   * ends after the save it is at. Requests are still served: closing connections is the HTTP
   * server's part (`http/graceful.ts`).
   */
  beginShutdown(): void;
  /**
   * Carries every unfinished billing-details save forward that no instance is at (what the
   * periodic sweep does every `SAVE_SWEEP_SECONDS`); answers how many are still pending.
   */
  sweepSaves(): Promise<{pending: number}>;
}

/** Builds the portal's HTTP app; `index.ts` (or the demo boot) only listens. */
export function createApp(config: Config, deps: AppDeps): PortalApp {
  const {store, log} = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const allowedOrigins = new Set([...config.allowedOrigins, config.portalUrl.origin]);
  const background = new BackgroundTasks((error) =>
    log.error('background task failed', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const cache = new CustomerCache(store, config.cacheTtlSeconds);
  const products = new ProductNames(deps.stripe, store, config.cacheTtlSeconds);
  const billing = new BillingService(deps.stripe, cache, products);
  const tokens = new SessionTokens(config.session, now);
  const cookie = new SessionCookie(config.session, tokens, store);
  const recentGrants = new RecentGrants(store, now, log);
  const accounts = new HeldAccounts(deps.stripe, store, cache, recentGrants, log);
  const owners = new RecentOwners(store, now, log);
  const active = activeAccount(cookie, accounts);
  const magicLinks = new MagicLinkService({
    config,
    store,
    billing,
    accounts,
    owners,
    mailer: deps.mailer,
    background,
    log,
    now,
  });
  // Postmark stumbling is retried with backoff; the answer has gone out already.
  const mailer = withRetries(deps.mailer, {
    delaysMs: config.mailRetryDelaysMs ?? [],
    onRetry: (error, attempt, delayMs) =>
      log.warn('mail failed, retrying', {
        attempt,
        delayMs,
        error: error instanceof Error ? error.message : String(error),
      }),
  });
  const notices = new OwnerNotices({
    accounts,
    store,
    mailer,
    background,
    log,
    now,
    portalUrl: config.portalUrl.toString(),
  });

  const app = express() as PortalApp;
  app.disable('x-powered-by');
  // Security headers on everything the server answers, health checks and webhooks included.
  app.use(helmet());
  // Every API answer is `no-store`: an ETag (a hash of each body) would never be used.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  const saves = new BillingDetailsSaves(deps.stripe, store, {
    leaseMs: config.saveLeaseMs,
    log,
    now,
    cache,
    background,
    onCompletedLater: (customerId, by, acceptedAt) =>
      notices.changed(customerId, {kind: 'billing_details'}, {email: by}, {at: acceptedAt}),
  });
  app.sweepSaves = () => saves.sweep();
  const sweep =
    config.saveSweepSeconds > 0
      ? setInterval(() => background.run(() => saves.sweep()), config.saveSweepSeconds * 1000)
      : undefined;
  sweep?.unref();
  app.drain = () => background.drain();
  let stopping = false;
  app.beginShutdown = () => {
    clearInterval(sweep);
    saves.stop();
    stopping = true;
  };

  app.use(requestLog(log));

  app.get('/healthz', (_req, res) => {
    res.json({status: 'ok'});
  });
  // Ready = can serve: not shutting down, and the store (Redis) answers.
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (stopping) {
      res.status(503).json({status: 'stopping'});
      return;
    }
    try {
      await store.ping();
      res.json({status: 'ready'});
    } catch {
      res.status(503).json({status: 'unavailable'});
    }
  });

  // Before the API's guards and JSON parser: Stripe signs the raw body and sends no Origin.
  app.use(
    '/api',
    stripeWebhookRoutes({
      stripe: deps.stripe,
      secret: config.stripe.webhookSecret,
      cache,
      accounts,
      owners,
      store,
      log,
    }),
  );

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    // Admitted by the Stripe budget as a whole, or turned away before its first Stripe call.
    withinApiRequest(next);
  });
  api.use(corsForOrigins(allowedOrigins));
  api.use(requireTrustedWrite(allowedOrigins));
  api.use(express.json({limit: '16kb', type: 'application/json'}));
  api.use(cookieParser());
  api.use(authRoutes({magicLinks, tokens, cookie, billing, accounts, store, now}));
  api.use(accountRoutes({billing, saves, active}));
  // Each needs the other: the e-invoice embeds Stripe's PDF, the year exports hold the XMLs.
  const eInvoices: EInvoices = new EInvoices(
    deps.stripe,
    billing,
    (invoice, signal) => documents.openPdf(invoice, signal),
    config.eInvoice,
    log,
  );
  const documents: InvoiceDocuments = new InvoiceDocuments(deps.stripe, billing, {
    pdfHosts: config.stripe.pdfHosts,
    fetchFile: deps.fetchStripeFile ?? ((url, init) => fetch(url, init)),
    log,
    now,
    xrechnungOf: (invoice) => eInvoices.xrechnungOf(invoice),
  });
  api.use(
    invoiceRoutes({
      billing,
      documents,
      eInvoices,
      active,
      log,
      now,
    }),
  );
  api.use(
    paymentMethodRoutes({
      paymentMethods: new PaymentMethodService(deps.stripe, config.stripe, cache),
      notices,
      active,
    }),
  );
  api.use(billingDetailsRoutes({saves, notices, active}));
  api.use(
    carrierAccessRoutes({
      carrierAccess: new CarrierAccessService({
        stripe: deps.stripe,
        store,
        accounts,
        recent: recentGrants,
        leaseMs: config.saveLeaseMs,
        now,
        log,
      }),
      accounts,
      grantMails: new CarrierGrantMails({magicLinks, mailer, background, config, log}),
      notices,
      cookie,
      active,
    }),
  );
  const concurrency = config.fleetConcurrency;
  const fleetAccess = heldAccountsFleetAccess(accounts);
  api.use(
    fleetBillingDetailsRoutes({
      saves,
      access: fleetAccess,
      cookie,
      background,
      log,
      concurrency,
      ownerOf: (customerId) => notices.ownerOf(customerId),
      onSaved: (customerId, session, owner) =>
        notices.changed(customerId, {kind: 'billing_details'}, session, {owner}),
    }),
  );
  api.use(fleetInvoiceRoutes({documents, access: fleetAccess, cookie, log, now, concurrency}));
  api.use(notFoundHandler);
  api.use(errorHandler(log));
  app.use('/api', api);
  return app;
}
