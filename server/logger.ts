/** A small structured logger: one JSON line per event. Callers mask e-mails; tokens never go in. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createJsonLogger(
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(`${JSON.stringify({time: new Date().toISOString(), level, message, ...fields})}\n`);
  return {info: log('info'), warn: log('warn'), error: log('error')};
}

export const silentLogger: Logger = {info() {}, warn() {}, error() {}};
