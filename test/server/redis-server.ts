import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {createServer, connect} from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops it (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'redis-server is not installed, and the Redis tests need a real one: ' +
  'run `apt-get install -y redis-server` (Debian 12 gives Redis 7), or `.ci/run`, which installs it.';

/** A free TCP port on loopback, as the OS hands it out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something answers `PING` with `+PONG` on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A throw-away `redis-server` on a free port, or on `port`. No persistence, unless `dataDir`
 * is given: then every write goes to an append-only file there (`appendfsync always`), and a
 * server started again on that directory has the data of the one before. Fails, never skips,
 * when redis-server is missing: the two-instance and Redis tests are part of `npm test`.
 */
export async function startRedisServer(
  options: {port?: number; dataDir?: string} = {},
): Promise<RedisServer> {
  const probe = spawnSync('redis-server', ['--version'], {encoding: 'utf8'});
  if (probe.error || probe.status !== 0) throw new Error(INSTALL_HINT);
  const port = options.port ?? (await freePort());
  const persistence = options.dataDir
    ? ['--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
    {stdio: ['ignore', 'ignore', 'pipe']},
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const deadline = Date.now() + 10_000;
  while (!(await pong(port))) {
    if (exited) throw new Error(`redis-server did not start on port ${port}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
