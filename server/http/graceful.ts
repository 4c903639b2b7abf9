import type {Server, ServerResponse} from 'node:http';
import type {Socket} from 'node:net';

export interface ShutdownOptions {
  /** How long the listener still accepts connections (`SHUTDOWN_DRAIN_MS`). */
  drainMs: number;
  /** When, counted from the start, whatever still runs is cut (`SHUTDOWN_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Called once the listener has closed: new connections are refused from then on. */
  onStopAccepting?: () => void;
}

export interface GracefulServer {
  /**
   * Stops the server without dropping a request it has read:
   * - every answer from now on says `Connection: close`, also the answers of requests already
   *   in flight whose headers are not out yet, so each connection closes after its answer;
   * - for `drainMs` the listener keeps accepting: the load balancer's health check gets its 503
   *   and new connections get answers. Idle keep-alive connections stay open meanwhile: a
   *   client may be sending on one at this very moment (Node's agent, for one, hands a
   *   connection to its next request before it reads a close that came right behind the last
   *   answer), and an answer that closes it is safe where closing it resets that request;
   * - then the listener closes and so does every idle connection (HTTP/1.1 lets a server close
   *   an idle connection at any time; what a client sends in that instant is never read, and
   *   it may send it again); a connection whose answer went out with keep-alive closes as soon
   *   as that answer is written;
   * - resolves `true` once every handler has ended its answer (also a handler whose client went
   *   away: a save in the middle of its Stripe calls) and every connection is closed; one that
   *   never sent a byte is closed then. `false` when `timeoutMs` ran out first and the rest
   *   were cut.
   */
  shutdown(options: ShutdownOptions): Promise<boolean>;
  /** Requests whose handler has not ended its answer yet. */
  inFlight(): number;
  /** Connections accepted so far (none after the listener closed). */
  accepted(): number;
}

/** Tracks the server's connections and requests; install before the app's request listener. */
export function trackConnections(server: Server): GracefulServer {
  const sockets = new Set<Socket>();
  /** Answers their handler has not ended yet: `finish` or `close` say nothing about that. */
  const running = new Set<ServerResponse>();
  let accepted = 0;
  let closing = false;
  let listening = true;
  let settle = () => {};

  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      settle();
    });
  });
  server.prependListener('request', (_req, res: ServerResponse) => {
    running.add(res);
    if (closing) res.setHeader('Connection', 'close');
    // A handler may still be working after its client went away (the socket, `finish` and
    // `close` are long gone then); it has finished when it ends its answer, sent or not.
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const result = end(...args);
      running.delete(res);
      settle();
      return result;
    }) as ServerResponse['end'];
    // Once the listener is closed, a connection whose answer went out with keep-alive (headers
    // sent before the shutdown) closes as soon as the answer is written; Node's own `finish`
    // listener, added before this one, has released the socket by then.
    res.once('finish', () => {
      if (!listening) server.closeIdleConnections();
    });
  });

  return {
    inFlight: () => running.size,
    accepted: () => accepted,
    shutdown({drainMs, timeoutMs, onStopAccepting}) {
      closing = true;
      for (const res of running) if (!res.headersSent) res.setHeader('Connection', 'close');
      return new Promise<boolean>((resolve) => {
        const stopAccepting = () => {
          if (!listening) return;
          listening = false;
          // Also closes the idle connections: those not in the middle of a request or answer.
          server.close();
          onStopAccepting?.();
          settle();
        };
        const done = (clean: boolean) => {
          clearTimeout(drain);
          clearTimeout(timeout);
          settle = () => {};
          resolve(clean);
        };
        settle = () => {
          if (listening || running.size) return;
          server.closeIdleConnections();
          // Accepted in the last moment of the drain, and silent since: nothing to answer.
          for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
          if (!sockets.size) done(true);
        };
        const drain = setTimeout(stopAccepting, Math.min(drainMs, timeoutMs));
        const timeout = setTimeout(() => {
          done(false);
          stopAccepting();
          server.closeAllConnections();
        }, timeoutMs);
      });
    },
  };
}
