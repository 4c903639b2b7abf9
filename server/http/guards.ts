import cors from 'cors';
import type {NextFunction, Request, RequestHandler, Response} from 'express';
import {ApiError} from '../errors.js';

/** CORS for the origins CONROO embeds the element on: exact match, echoed, with credentials. */
export function corsForOrigins(allowed: ReadonlySet<string>): RequestHandler {
  const handleCors = cors({
    origin: (origin, callback) => callback(null, origin && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Accept'],
    // The element may fetch a download to name the file and show an error instead of a page.
    exposedHeaders: ['Content-Disposition', 'Retry-After'],
    maxAge: 600,
  });
  // Every answer depends on the Origin, also the ones that get no CORS headers (`cors` sets
  // Vary only when it echoes an origin): a shared cache must not hand one origin's answer to
  // another.
  return (req, res, next) => {
    res.vary('Origin');
    handleCors(req, res, next);
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * CSRF defence for state-changing requests: never from another site, only from an allowed
 * origin (or the same origin), and only as JSON, which a plain HTML form cannot send.
 */
export function requireTrustedWrite(allowed: ReadonlySet<string>): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!UNSAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    if (site === 'cross-site') {
      return next(
        new ApiError(403, 'origin_not_allowed', 'Cross-site requests cannot change anything'),
      );
    }
    if (origin !== undefined && !allowed.has(origin) && site !== 'same-origin') {
      return next(new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed`));
    }
    if (WITH_BODY.has(req.method) && !req.is('application/json')) {
      return next(
        new ApiError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)'),
      );
    }
    next();
  };
}
