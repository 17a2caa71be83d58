/**
 * The one place that talks to tslab's display channel. Outside a tslab kernel (tests, plain
 * node) `inKernel()` is false and callers return their figure or bytes instead of displaying.
 *
 * tslab's public `display.raw` sends one MIME type per message; a plot wants a bundle
 * (`text/html` plus a `text/plain` fallback), so this module calls the function tslab's own
 * `display` uses, `jupyter.lastWriteDisplayData`, which it sets while a cell executes.
 */
import { randomBytes } from 'crypto';

/** A Jupyter MIME bundle: MIME type → string (base64 for binary types) or JSON value. */
export type MimeBundle = Record<string, string | object>;

interface TslabJupyter {
  lastWriteDisplayData:
    | ((data: { data: MimeBundle; metadata: object; transient: { display_id?: string } }, update: boolean) => void)
    | null;
}

function tslabJupyter(): TslabJupyter | null {
  try {
    // Resolved from the project's node_modules: the same module instance the kernel runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('tslab/dist/jupyter') as TslabJupyter;
  } catch {
    return null;
  }
}

/** True while code runs inside a tslab kernel cell (so displays reach the notebook). */
export function inKernel(): boolean {
  return tslabJupyter()?.lastWriteDisplayData != null;
}

/** A display that can be redrawn in place (Jupyter's update_display_data). */
export interface DisplayHandle {
  readonly id: string;
  /** Show `bundle`: the first call displays, later calls replace the same output. */
  show(bundle: MimeBundle, metadata?: object): void;
}

/** Display a MIME bundle once. Returns false (and does nothing) outside a kernel. */
export function displayData(bundle: MimeBundle, metadata: object = {}): boolean {
  const j = tslabJupyter();
  if (!j?.lastWriteDisplayData) return false;
  j.lastWriteDisplayData({ data: bundle, metadata, transient: {} }, false);
  return true;
}

/** A new display that later calls overwrite (tslab's `newDisplay()`, with bundles). */
export function newDisplayHandle(): DisplayHandle {
  const id = randomBytes(8).toString('hex');
  let shown = false;
  return {
    id,
    show(bundle: MimeBundle, metadata: object = {}) {
      const j = tslabJupyter();
      if (!j?.lastWriteDisplayData) return;
      j.lastWriteDisplayData({ data: bundle, metadata, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}
