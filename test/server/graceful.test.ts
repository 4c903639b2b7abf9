/**
 * The HTTP server's part of a shutdown (`server/http/graceful.ts`), in-process, for what the
 * SIGTERM test of the real entry (`shutdown.test.ts`) does not arrange: a connection that never
 * says anything, a download whose client goes away, and a handler that never ends.
 */
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {createServer, get, type RequestListener} from 'node:http';
import {connect, type AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import express from 'express';
import {closeSignal, sendDownload} from '../../server/http/download.js';
import {trackConnections} from '../../server/http/graceful.js';
import {silentLogger} from '../../server/logger.js';

async function start(listener: RequestListener) {
  const server = createServer();
  const graceful = trackConnections(server);
  server.on('request', listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, graceful, port: (server.address() as AddressInfo).port};
}

describe('trackConnections: shutdown', () => {
  it('closes a connection that never sent a byte once nothing else is left', async () => {
    const {server, graceful, port} = await start((_req, res) => res.end());
    const accepted = once(server, 'connection');
    const silent = connect(port, '127.0.0.1');
    await accepted;
    const closed = once(silent, 'close');
    const received: Buffer[] = [];
    silent.on('data', (chunk: Buffer) => received.push(chunk));
    assert.equal(await graceful.shutdown({drainMs: 0, timeoutMs: 20_000}), true);
    await closed;
    assert.deepEqual(received, [], 'closed without an answer: there was no request');
  });

  it('waits for a download whose client went away, and no longer', async () => {
    const app = express();
    let served: () => void;
    const firstChunkOut = new Promise<void>((resolve) => (served = resolve));
    app.get('/file', async (_req, res) => {
      const gone = closeSignal(res);
      async function* body() {
        yield new Uint8Array(1024);
        served();
        // Like a PDF still coming from Stripe, whose fetch the closing answer aborts.
        await new Promise((_resolve, reject) =>
          gone.addEventListener('abort', () => reject(gone.reason as Error)),
        );
      }
      await sendDownload(
        res,
        {filename: 'a.pdf', contentType: 'application/pdf', body: body()},
        silentLogger,
      );
    });
    const {graceful, port} = await start(app);
    const request = get(`http://127.0.0.1:${port}/file`);
    request.on('error', () => {});
    const [response] = (await once(request, 'response')) as [NodeJS.ReadableStream];
    response.once('data', () => request.destroy());
    await firstChunkOut;
    await once(request, 'close');
    assert.equal(await graceful.shutdown({drainMs: 0, timeoutMs: 20_000}), true);
    assert.equal(graceful.inFlight(), 0);
  });

  it('cuts what still runs when the timeout is over, and says so', async () => {
    let reached: () => void;
    const handling = new Promise<void>((resolve) => (reached = resolve));
    const {graceful, port} = await start(() => reached());
    const request = get(`http://127.0.0.1:${port}/never`);
    const failed = once(request, 'error') as Promise<[NodeJS.ErrnoException]>;
    await handling;
    assert.equal(graceful.inFlight(), 1);
    assert.equal(await graceful.shutdown({drainMs: 0, timeoutMs: 50}), false);
    const [error] = await failed;
    assert.equal(error.code, 'ECONNRESET');
  });
});
