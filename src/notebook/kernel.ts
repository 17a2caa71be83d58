/**
 * A tslab kernel started and driven by us: spawns `tslab kernel --config-path <connection file>`,
 * connects ZeroMQ sockets (shell, control, iopub) and executes code with the Jupyter protocol.
 * No Python and no Jupyter server are involved.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import { writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import type * as Zmq from 'zeromq';
import { trackKernel } from './cleanup';
import { decode, encode, newMessage, type JupyterMessage } from './wire';

/** The project root: this file lives in src/notebook/ or dist/notebook/. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The kernel died (exited or was killed) while we waited for it. */
export class KernelDiedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'KernelDiedError';
  }
}

/** The kernel did not answer within the allowed time. */
export class KernelTimeoutError extends Error {
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
    this.name = 'KernelTimeoutError';
  }
}

export interface KernelStartOptions {
  /** Working directory of the kernel (Jupyter uses the notebook's folder). */
  cwd: string;
  /** Extra environment; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** How long the kernel may take to answer its first kernel_info_request (default 120 s). */
  startupTimeoutMs?: number;
}

export interface ExecuteOptions {
  /** Fail with KernelTimeoutError when the cell runs longer (default: no limit). */
  timeoutMs?: number;
  /** Every IOPub message whose parent is this request (stream, display_data, …), in order. */
  onMessage?: (msg: JupyterMessage) => void;
}

export interface ExecuteReply {
  status: 'ok' | 'error' | 'abort';
  executionCount: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** `n` distinct free TCP ports on 127.0.0.1 (held open together so they differ), as Jupyter does. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === 'string') throw new Error('freePorts: no TCP address');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

function loadZmq(): typeof Zmq {
  // Loaded lazily: notebooks import this package inside the kernel and have no use for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('zeromq') as typeof Zmq;
}

const TAIL_CHARS = 4000;

export class TslabKernel {
  private readonly session = randomUUID();
  private readonly pendingReplies = new Map<string, (msg: JupyterMessage) => void>();
  private readonly iopubHandlers = new Map<string, (msg: JupyterMessage) => void>();
  private readonly deathHandlers = new Set<(e: KernelDiedError) => void>();
  private iopubSeen = false;
  private exited: KernelDiedError | null = null;
  private tail = '';
  private closed = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly conn: ConnectionInfo,
    /** The connection file (ports and key), deleted when the kernel exits. */
    readonly connectionFile: string,
    private readonly shell: Zmq.Dealer,
    private readonly control: Zmq.Dealer,
    private readonly iopub: Zmq.Subscriber,
  ) {}

  /** Process id of the kernel. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** False once the kernel process has exited. */
  get alive(): boolean {
    return this.exited === null;
  }

  /** The last few thousand characters the kernel wrote to its own stdout/stderr. */
  get output(): string {
    return this.tail;
  }

  /** Start a kernel and wait until both its shell and IOPub channels answer. */
  static async start(options: KernelStartOptions): Promise<TslabKernel> {
    const zmq = loadZmq();
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
    const conn: ConnectionInfo = {
      transport: 'tcp',
      ip: '127.0.0.1',
      key: randomBytes(32).toString('hex'),
      signature_scheme: 'hmac-sha256',
      kernel_name: 'tslab',
      shell_port,
      iopub_port,
      stdin_port,
      control_port,
      hb_port,
    };
    const connFile = path.join(tmpdir(), `digitlab-kernel-${randomBytes(6).toString('hex')}.json`);
    // The key signs every message: readable by this user only, as Jupyter writes it.
    writeFileSync(connFile, JSON.stringify(conn, null, 1), { mode: 0o600 });

    const env: NodeJS.ProcessEnv = { ...process.env, DIGITLAB_ROOT: PROJECT_ROOT };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const tslab = require.resolve('tslab/bin/tslab', { paths: [PROJECT_ROOT] });
    const child = spawn(process.execPath, [tslab, 'kernel', '--config-path', connFile], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackKernel(child, [connFile]);

    const addr = (port: number): string => `tcp://${conn.ip}:${port}`;
    const shell = new zmq.Dealer({ linger: 0 });
    const control = new zmq.Dealer({ linger: 0 });
    const iopub = new zmq.Subscriber({ linger: 0 });
    shell.connect(addr(shell_port));
    control.connect(addr(control_port));
    iopub.connect(addr(iopub_port));
    iopub.subscribe();

    const kernel = new TslabKernel(child, conn, connFile, shell, control, iopub);
    kernel.watch();
    try {
      await kernel.handshake(options.startupTimeoutMs ?? 120_000);
    } catch (e) {
      await kernel.shutdown({ force: true });
      throw e;
    }
    return kernel;
  }

  private watch(): void {
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const died = (how: string, code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.exited) return;
      const last = this.tail.trim() ? `; its last output:\n${this.tail.trim()}` : '';
      this.exited = new KernelDiedError(`tslab kernel (pid ${this.child.pid}) ${how}${last}`, code, signal);
      for (const h of this.deathHandlers) h(this.exited);
      this.deathHandlers.clear();
      this.closeSockets();
    };
    this.child.once('exit', (code, signal) => died(signal ? `killed by ${signal}` : `exited with code ${code}`, code, signal));
    // A failed spawn (bad cwd, no node) emits 'error', maybe without 'exit'; unhandled it would crash us.
    this.child.on('error', (e) => died(`could not be started or signalled: ${e.message}`, null, null));
    void this.receiveLoop(this.shell, (m) => this.dispatchReply(m));
    void this.receiveLoop(this.control, (m) => this.dispatchReply(m));
    void this.receiveLoop(this.iopub, (m) => {
      this.iopubSeen = true;
      const parent = m.parent_header.msg_id;
      if (parent) this.iopubHandlers.get(parent)?.(m);
    });
  }

  private async receiveLoop(sock: Zmq.Dealer | Zmq.Subscriber, handle: (m: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: JupyterMessage;
        try {
          msg = decode(this.conn.key, frames);
        } catch (e) {
          // A message we cannot authenticate is dropped, as Jupyter clients do.
          this.tail = (this.tail + `\n[runner] dropped message: ${(e as Error).message}`).slice(-TAIL_CHARS);
          continue;
        }
        handle(msg);
      }
    } catch {
      // The socket was closed while receiving: the kernel is shutting down.
    }
  }

  private dispatchReply(msg: JupyterMessage): void {
    const id = msg.parent_header.msg_id;
    if (!id) return;
    const h = this.pendingReplies.get(id);
    if (h) {
      this.pendingReplies.delete(id);
      h(msg);
    }
  }

  private async send(sock: Zmq.Dealer, msg: JupyterMessage): Promise<void> {
    if (this.exited) throw this.exited;
    await sock.send(encode(this.conn.key, msg));
  }

  /** Send `msg` and wait for the reply (or the kernel's death, or `timeoutMs`). */
  private request(sock: Zmq.Dealer, msg: JupyterMessage, timeoutMs: number, what: string): Promise<JupyterMessage> {
    return new Promise((resolve, reject) => {
      const id = msg.header.msg_id;
      const onDeath = (e: KernelDiedError): void => {
        clearTimeout(timer);
        this.pendingReplies.delete(id);
        reject(e);
      };
      const timer = setTimeout(() => {
        this.pendingReplies.delete(id);
        this.deathHandlers.delete(onDeath);
        reject(new KernelTimeoutError(`tslab kernel did not answer ${what} within ${timeoutMs / 1000} s`, timeoutMs));
      }, timeoutMs);
      this.pendingReplies.set(id, (reply) => {
        clearTimeout(timer);
        this.deathHandlers.delete(onDeath);
        resolve(reply);
      });
      if (this.exited) return onDeath(this.exited);
      this.deathHandlers.add(onDeath);
      this.send(sock, msg).catch(onDeath);
    });
  }

  /**
   * Wait for the first kernel_info_reply (the kernel binds its sockets only after loading the
   * TypeScript compiler), then until IOPub delivers: a SUB socket silently drops everything
   * published before its subscription reaches the kernel, which would lose a cell's first output.
   */
  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.request(this.shell, newMessage('kernel_info_request', {}, this.session), timeoutMs, 'kernel_info_request');
    while (!this.iopubSeen) {
      const left = deadline - Date.now();
      if (left <= 0) throw new KernelTimeoutError('tslab kernel: IOPub channel never delivered a message', timeoutMs);
      await this.request(this.shell, newMessage('kernel_info_request', {}, this.session), left, 'kernel_info_request');
      if (!this.iopubSeen) await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Execute `code` as one cell. Resolves when the kernel has replied and reported idle for it
   * (so every output has arrived); rejects with KernelDiedError or KernelTimeoutError.
   */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    const msg = newMessage(
      'execute_request',
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      this.session,
    );
    const id = msg.header.msg_id;
    return new Promise<ExecuteReply>((resolve, reject) => {
      let reply: ExecuteReply | null = null;
      let idle = false;
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const timer =
        options.timeoutMs !== undefined
          ? setTimeout(
              () =>
                settle(() =>
                  reject(
                    new KernelTimeoutError(`cell still running after ${options.timeoutMs! / 1000} s`, options.timeoutMs!),
                  ),
                ),
              options.timeoutMs,
            )
          : undefined;
      const onDeath = (e: KernelDiedError): void => settle(() => reject(e));
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        this.pendingReplies.delete(id);
        this.deathHandlers.delete(onDeath);
        fn();
      };
      const maybeDone = (): void => {
        if (reply && idle) settle(() => resolve(reply!));
      };
      // Outputs that arrive after the cell finished (timers, unawaited promises) still belong to it.
      this.iopubHandlers.set(id, (m) => {
        if (m.header.msg_type === 'status') {
          if (m.content.execution_state === 'idle') {
            idle = true;
            maybeDone();
          }
          return;
        }
        options.onMessage?.(m);
      });
      this.pendingReplies.set(id, (m) => {
        const c = m.content;
        const status = c.status === 'ok' || c.status === 'abort' ? c.status : 'error';
        reply = {
          status,
          executionCount: typeof c.execution_count === 'number' ? c.execution_count : null,
          ...(typeof c.ename === 'string' ? { ename: c.ename } : {}),
          ...(typeof c.evalue === 'string' ? { evalue: c.evalue } : {}),
          ...(Array.isArray(c.traceback) ? { traceback: c.traceback.map(String) } : {}),
        };
        // IOPub and shell are separate sockets; give a lost idle status a moment, not forever.
        grace = setTimeout(() => {
          idle = true;
          maybeDone();
        }, 5000);
        maybeDone();
      });
      if (this.exited) return onDeath(this.exited);
      this.deathHandlers.add(onDeath);
      this.send(this.shell, msg).catch((e: unknown) =>
        settle(() => reject(e instanceof Error ? e : new Error(String(e)))),
      );
    });
  }

  /**
   * Stop the kernel: a shutdown_request on the control channel, then SIGTERM, then SIGKILL if it
   * still runs (a cell stuck in a synchronous loop never reads its sockets). `force` skips the
   * polite request (after a timeout). Always resolves.
   */
  async shutdown(options: { force?: boolean; graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? 2000;
    if (this.exited === null) {
      const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
      const wait = (ms: number): Promise<boolean> => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
        return Promise.race([gone.then(() => true), late]).finally(() => clearTimeout(timer));
      };
      if (!options.force) {
        await this.send(this.control, newMessage('shutdown_request', { restart: false }, this.session)).catch(() => {});
      }
      if (options.force || !(await wait(graceMs))) {
        this.child.kill('SIGTERM');
        if (!(await wait(graceMs))) {
          this.child.kill('SIGKILL');
          await gone;
        }
      }
    }
    this.closeSockets();
  }

  private closeSockets(): void {
    if (this.closed) return;
    this.closed = true;
    this.iopubHandlers.clear();
    for (const s of [this.shell, this.control, this.iopub]) s.close();
  }
}
