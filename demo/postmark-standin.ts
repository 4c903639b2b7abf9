/**
 * A stand-in for Postmark's `POST /email` that keeps what it receives, so the demo and the
 * tests can read the magic-link mails (`GET /outbox`, or `messages()` in-process). The portal
 * reaches it with the official client:
 * `new postmark.ServerClient(token, {requestHost: standin.host, useHttps: false})`.
 */
import {randomUUID} from 'node:crypto';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import express, {type NextFunction, type Request, type Response} from 'express';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The first URL in the mail that carries `#conroo-portal-token=`, else `null`. */
  link: string | null;
  /** Unix seconds. */
  createdAt: number;
}

export interface PostmarkStandin {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`, the client's `requestHost`. */
  host: string;
  port: number;
  /** Newest first. */
  messages(): OutboxMessage[];
  clear(): void;
  close(): Promise<void>;
  /** Make the next `n` sends fail with a Postmark-style 500. */
  failNext(n: number): void;
}

export interface PostmarkStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Called with every accepted message (the demo prints them to the console). */
  log?: (m: OutboxMessage) => void;
  /** Accept only this server token; by default any non-empty token is accepted. */
  token?: string;
}

const linkMarker = '#conroo-portal-token=';

/** The first URL containing the portal token marker, looked for in the text, then the HTML. */
export function findPortalLink(text: string, html = ''): string | null {
  for (const source of [text, html.replace(/&amp;/g, '&')]) {
    for (const match of source.matchAll(/https?:\/\/[^\s<>"'`]+/g)) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      if (url.includes(linkMarker)) return url;
    }
  }
  return null;
}

interface PostmarkMessage {
  From?: unknown;
  To?: unknown;
  Subject?: unknown;
  TextBody?: unknown;
  HtmlBody?: unknown;
}

class PostmarkApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function validate(m: PostmarkMessage): void {
  if (typeof m !== 'object' || m === null) {
    throw new PostmarkApiError(422, 402, 'Received invalid JSON input.');
  }
  if (!str(m.From).trim()) throw new PostmarkApiError(422, 300, "Invalid 'From' address: ''.");
  if (!str(m.To).trim()) throw new PostmarkApiError(422, 300, 'Zero recipients specified');
  if (!str(m.TextBody) && !str(m.HtmlBody)) {
    throw new PostmarkApiError(422, 300, 'Provide either email TextBody or HtmlBody or both.');
  }
}

export function createPostmarkStandinApp(opts: {
  outbox: OutboxMessage[];
  log?: (m: OutboxMessage) => void;
  token?: string;
  failures: {pending: number};
}): express.Express {
  const app = express();
  app.disable('x-powered-by');

  const authenticate = (req: Request, _res: Response, next: NextFunction) => {
    const token = req.get('x-postmark-server-token');
    if (!token) {
      throw new PostmarkApiError(
        401,
        10,
        'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
      );
    }
    if (opts.token !== undefined && token !== opts.token) {
      throw new PostmarkApiError(
        401,
        10,
        'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.',
      );
    }
    next();
  };

  const accept = (m: PostmarkMessage) => {
    validate(m);
    const message: OutboxMessage = {
      id: randomUUID(),
      to: str(m.To),
      subject: str(m.Subject),
      text: str(m.TextBody),
      html: str(m.HtmlBody),
      link: findPortalLink(str(m.TextBody), str(m.HtmlBody)),
      createdAt: Math.floor(Date.now() / 1000),
    };
    opts.outbox.push(message);
    opts.log?.(message);
    return {
      To: message.to,
      SubmittedAt: new Date(message.createdAt * 1000).toISOString(),
      MessageID: message.id,
      ErrorCode: 0,
      Message: 'OK',
    };
  };

  const failIfAsked = () => {
    if (opts.failures.pending > 0) {
      opts.failures.pending -= 1;
      throw new PostmarkApiError(
        500,
        0,
        'Internal Server Error (injected by the Postmark stand-in).',
      );
    }
  };

  app.use(express.json({limit: '10mb', type: () => true}));

  app.post('/email', authenticate, (req, res) => {
    failIfAsked();
    res.json(accept(req.body as PostmarkMessage));
  });

  app.post('/email/batch', authenticate, (req, res) => {
    failIfAsked();
    if (!Array.isArray(req.body))
      throw new PostmarkApiError(422, 402, 'Received invalid JSON input.');
    // Postmark answers a batch with one result per message, errors included, and status 200.
    res.json(
      (req.body as PostmarkMessage[]).map((m) => {
        try {
          return accept(m);
        } catch (err) {
          if (!(err instanceof PostmarkApiError)) throw err;
          return {ErrorCode: err.errorCode, Message: err.message};
        }
      }),
    );
  });

  // `?to=address`: only the mails to that address.
  app.get('/outbox', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to.trim().toLowerCase() : '';
    const all = [...opts.outbox].reverse();
    res.set('Cache-Control', 'no-store').json({
      messages: to ? all.filter((m) => m.to.trim().toLowerCase() === to) : all,
    });
  });

  app.delete('/outbox', (_req, res) => {
    opts.outbox.length = 0;
    res.status(204).end();
  });

  app.use(() => {
    throw new PostmarkApiError(
      404,
      0,
      'Not found (Postmark stand-in serves POST /email, POST /email/batch, GET /outbox).',
    );
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof PostmarkApiError) {
      res.status(err.status).json({ErrorCode: err.errorCode, Message: err.message});
      return;
    }
    const status = (err as {status?: number})?.status;
    if (typeof status === 'number' && status < 500) {
      res.status(422).json({ErrorCode: 402, Message: 'Received invalid JSON input.'});
      return;
    }
    console.error('[postmark-standin] internal error', err);
    res.status(500).json({ErrorCode: 0, Message: String(err)});
  });
  return app;
}

export async function startPostmarkStandin(
  opts: PostmarkStandinOptions = {},
): Promise<PostmarkStandin> {
  const outbox: OutboxMessage[] = [];
  const failures = {pending: 0};
  const app = createPostmarkStandinApp({outbox, log: opts.log, token: opts.token, failures});
  const hostname = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, hostname, (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://${hostname}:${port}`,
    host: `${hostname}:${port}`,
    port,
    messages: () => [...outbox].reverse(),
    clear: () => {
      outbox.length = 0;
    },
    failNext: (n) => {
      failures.pending += n;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
