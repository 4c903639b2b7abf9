import type {Server} from 'node:http';
import type {Socket} from 'node:net';

export interface GracefulServer {
  /**
   * Stops accepting connections, closes idle keep-alive connections at once and every other
   * one as soon as its last request has been answered (`Connection: close`). Resolves `true`
   * when all in-flight requests finished, `false` when `graceMs` ran out first and the rest
   * were cut.
   */
  close(graceMs: number): Promise<boolean>;
  /** Requests being answered right now. */
  inFlight(): number;
}

/** Tracks the server's connections and requests; install before the app's request listener. */
export function trackConnections(server: Server): GracefulServer {
  const requests = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    requests.set(socket, 0);
    socket.once('close', () => requests.delete(socket));
  });
  server.prependListener('request', (req, res) => {
    const socket = req.socket;
    requests.set(socket, (requests.get(socket) ?? 0) + 1);
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      const left = (requests.get(socket) ?? 1) - 1;
      if (requests.has(socket)) requests.set(socket, left);
      if (closing && left === 0) socket.end();
    };
    res.once('finish', done);
    res.once('close', done);
  });
  return {
    inFlight: () => [...requests.values()].reduce((a, b) => a + b, 0),
    close(graceMs) {
      closing = true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve(false);
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
        for (const [socket, count] of requests) if (count === 0) socket.end();
      });
    },
  };
}
