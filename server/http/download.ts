import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {Response} from 'express';
import type {Logger} from '../logger.js';
import type {Download} from '../services/invoice-documents.js';

/** Aborts when the response closes: finished, or the browser went away mid-download. */
export function closeSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * Streams a download as an attachment. The status is decided by the first chunk: whatever goes
 * wrong before it is an ordinary error answer (thrown to the error middleware); once bytes are
 * out, a failure can only cut the connection, which the browser shows as a failed download
 * instead of saving a file that looks complete but is not. No Content-Length: chunked.
 */
export async function sendDownload(res: Response, download: Download, log: Logger): Promise<void> {
  const chunks = download.body[Symbol.asyncIterator]();
  const first = await chunks.next();
  res.status(200).set({
    'Content-Type': download.contentType,
    'Content-Disposition': `attachment; filename="${download.filename}"`,
    'Cache-Control': 'private, no-store',
  });
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      if (first.done) return;
      yield first.value;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await chunks.return?.();
    }
  }
  try {
    await pipeline(Readable.from(all(), {objectMode: false}), res);
  } catch (error) {
    log.warn('download ended early', {
      path: res.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    // The pipeline has destroyed the answer, so this sends nothing; it tells a shutdown waiting
    // for this handler (`graceful.ts`) that it is done.
    res.end();
  }
}
