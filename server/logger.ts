import {pino, stdTimeFunctions, type DestinationStream} from 'pino';
import {maskEmail} from './services/email-address.js';

/**
 * Structured logs, one JSON line per event (pino): `{"level":"info","time":"…","msg":"…",…}`
 * (the level by its name, the time in ISO 8601).
 * Callers pass a message and flat fields; they mask e-mails and never pass tokens, and the
 * logger enforces it again: fields named like secrets are redacted, fields named `email`/`to`
 * are masked, and every string is scrubbed of e-mail addresses, login tokens and JWTs.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Field names whose values never reach a log line, at the top level or one level down. */
const SECRET_FIELDS = [
  'token',
  'jwt',
  'cookie',
  'cookies',
  'authorization',
  'password',
  'secret',
  'set-cookie',
  'x-postmark-server-token',
];
const EMAIL_FIELDS = ['email', 'to', 'from'];
const REDACT_PATHS = [...SECRET_FIELDS, ...EMAIL_FIELDS].flatMap((name) =>
  /^[a-z]+$/.test(name) ? [name, `*.${name}`] : [`["${name}"]`, `*["${name}"]`],
);

const EMAIL = /[^\s@"'<>(),;:/?&=]+@[^\s@"'<>(),;:]+\.[A-Za-z0-9-]+/g;
const PORTAL_TOKEN = /(conroo-portal-token=)[^\s&"'<>]*/g;
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Masks e-mail addresses and removes login tokens and JWTs from free text. */
export function scrub(text: string): string {
  return text
    .replace(PORTAL_TOKEN, '$1[Redacted]')
    .replace(JWT, '[Redacted]')
    .replace(EMAIL, (address) => maskEmail(address));
}

function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      typeof value === 'string'
        ? scrub(value)
        : value instanceof Error
          ? scrub(`${value.name}: ${value.message}`)
          : value;
  }
  return out;
}

/** A pino-backed `Logger`; `destination` (tests) receives each line, stdout otherwise. */
export function createLogger(
  options: {level?: LogLevel; destination?: DestinationStream} = {},
): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: {level: (label) => ({level: label})},
      redact: {
        paths: REDACT_PATHS,
        censor: (value, path) =>
          EMAIL_FIELDS.includes(path[path.length - 1]) && typeof value === 'string'
            ? scrub(value).includes('@')
              ? maskEmail(value)
              : scrub(value)
            : '[Redacted]',
      },
    },
    options.destination ?? pino.destination({dest: 1, sync: true}),
  );
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logger[level](scrubFields(fields), scrub(message));
  return {info: at('info'), warn: at('warn'), error: at('error')};
}

export const silentLogger: Logger = {info() {}, warn() {}, error() {}};
