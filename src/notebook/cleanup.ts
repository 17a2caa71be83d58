/**
 * Kernel processes must never outlive the runner: on normal exit, on an uncaught error and on
 * Ctrl-C (a tslab kernel only *interrupts* its cell on SIGINT, so it would otherwise keep
 * running in the background). Every kernel child is registered here until it exits.
 */
import type { ChildProcess } from 'child_process';
import { rmSync } from 'fs';

interface Entry {
  child: ChildProcess;
  files: string[];
}

const live = new Map<ChildProcess, Entry>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let exitHookInstalled = false;
let signalHooksInstalled = false;

function killAll(): void {
  for (const { child, files } of live.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const f of files) rmSync(f, { force: true });
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  removeSignalHooks();
  // Re-raise so the process ends the way it would have without us (or other handlers run).
  process.kill(process.pid, signal);
}

function installSignalHooks(): void {
  if (signalHooksInstalled) return;
  for (const s of SIGNALS) process.on(s, onSignal);
  signalHooksInstalled = true;
}

function removeSignalHooks(): void {
  if (!signalHooksInstalled) return;
  for (const s of SIGNALS) process.off(s, onSignal);
  signalHooksInstalled = false;
}

/**
 * Track `child` (and files to delete with it) until it exits. Signal handlers are installed only
 * while a kernel is alive, so importing the library does not change how Ctrl-C behaves.
 */
export function trackKernel(child: ChildProcess, files: string[]): void {
  if (!exitHookInstalled) {
    process.on('exit', killAll);
    exitHookInstalled = true;
  }
  live.set(child, { child, files });
  installSignalHooks();
  child.once('exit', () => {
    const e = live.get(child);
    if (e) for (const f of e.files) rmSync(f, { force: true });
    live.delete(child);
    if (live.size === 0) removeSignalHooks();
  });
}

/** Number of kernel processes still alive (for tests). */
export function liveKernels(): number {
  return live.size;
}
