import {randomUUID} from 'node:crypto';
import type {RequestHandler} from 'express';
import type {Logger} from '../logger.js';

declare module 'express-serve-static-core' {
  interface Locals {
    requestId?: string;
  }
}

/** What a proxy or client may name a request with; anything else is replaced (no e-mail, no spaces). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `X-Request-Id` in (kept when it is a plain ID, generated otherwise) and out, and one log line
 * per request once it has been answered or aborted: method, path without the query, status,
 * duration. Never headers, cookies or bodies.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const fields = {
        requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        ...(res.writableFinished ? {} : {aborted: true}),
      };
      if (res.statusCode >= 500) log.warn('request', fields);
      else log.info('request', fields);
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
