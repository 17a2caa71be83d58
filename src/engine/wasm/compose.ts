/**
 * Calling wasm kernels from inside other wasm kernels.
 *
 * tfjs kernels receive and return `TensorInfo`s (no Tensor objects, no engine bookkeeping), so a
 * kernel built from other kernels must call their `kernelFunc`s directly and free every
 * intermediate with `backend.disposeData`. `Scope` does that bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';

/** The wasm backend as kernels see it (only what we use). */
export interface WasmBackendLike {
  disposeData(dataId: object): boolean;
}

export type Info = tf.TensorInfo;
type Inputs = Record<string, Info>;

/** The kernel function registered for `name` on wasm right now (throws if none). */
export function wasmKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`digitlab wasm kernels: no wasm kernel "${name}" is registered`);
  return k.kernelFunc;
}

/** Runs kernels and remembers their outputs so that intermediates can be freed in one call. */
export class Scope {
  private readonly temps: Info[] = [];

  constructor(readonly backend: WasmBackendLike) {}

  /** Run kernel `name`; its output is freed by `dispose()` unless passed to `keep()`. */
  run(name: string, inputs: Inputs, attrs: tf.NamedAttrMap = {}): Info {
    const out = wasmKernel(name)({ inputs, attrs, backend: this.backend as unknown as tf.KernelBackend }) as Info;
    this.temps.push(out);
    return out;
  }

  /** Free `t` (made by a kernel called directly) with the other intermediates. */
  adopt(t: Info): Info {
    this.temps.push(t);
    return t;
  }

  /** A view of `x` with another shape (no copy: wasm's Reshape shares the data id). */
  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: Info, perm: number[]): Info {
    return this.run('Transpose', { x }, { perm });
  }

  /** Exclude `out` from disposal (it is the kernel's result). */
  keep(out: Info): Info {
    const i = this.temps.indexOf(out);
    if (i >= 0) this.temps.splice(i, 1);
    return out;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Run `body` in a scope and free its intermediates whatever happens. */
export function withScope(backend: WasmBackendLike, body: (s: Scope) => Info): Info {
  const s = new Scope(backend);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}
