// AssemblyScript source of the MLP kernels (compiled by build.cjs into kernels-binary.ts), used by
// the sklearn-style MLP (src/sk) and by the engine's fused Dense training step (src/engine/dense-step).
//
// Why wasm SIMD and not plain JS loops: scikit-learn runs these products through OpenBLAS
// (AVX-512); scalar V8 loops reach ~0.7 GMAC/s, 128-bit SIMD with register blocking several
// times that, which is what it takes to fit faster than sklearn.
//
// Conventions: every pointer is a byte offset into the module's memory; matrices are row-major
// f32 with a row stride (ld, in floats) that is a multiple of 4, and padding columns hold zeros.

// ---- vector exp (Cephes expf: range reduction by ln 2, degree-6 polynomial, 2^n by bits) ----
@inline function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

/** exp of n floats (multiple of 4), in place; exported so tests can check the approximation. */
export function expInPlace(x: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const p = x + (<usize>i << 2);
    v128.store(p, vexp(v128.load(p)));
  }
}

// ---- dense products ----

/**
 * C[i, :] = bias + sum_k A[i, k] * B[k, :] for i < m (bias 0 = none); n4 = padded width.
 * With skip != 0 zero entries of A are skipped (ReLU outputs are about half zeros).
 */
export function gemmNN(a: usize, lda: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32,
                       m: i32, k: i32, n4: i32, skip: i32): void {
  const nv = n4 >> 2;
  const z = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>(i * lda) << 2);
    const crow = c + (<usize>(i * ldc) << 2);
    let j = 0;
    for (; j + 8 <= nv; j += 8) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
      if (bias) {
        c0 = v128.load(bias + off, 0); c1 = v128.load(bias + off, 16);
        c2 = v128.load(bias + off, 32); c3 = v128.load(bias + off, 48);
        c4 = v128.load(bias + off, 64); c5 = v128.load(bias + off, 80);
        c6 = v128.load(bias + off, 96); c7 = v128.load(bias + off, 112);
      }
      for (let kk = 0; kk < k; kk++) {
        const av = load<f32>(arow + (<usize>kk << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const bp = b + (<usize>(kk * ldb) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(bp, 0)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(bp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(bp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(bp, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(bp, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(bp, 80)));
        c6 = f32x4.add(c6, f32x4.mul(s, v128.load(bp, 96)));
        c7 = f32x4.add(c7, f32x4.mul(s, v128.load(bp, 112)));
      }
      const cp = crow + off;
      v128.store(cp, c0, 0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
      v128.store(cp, c4, 64); v128.store(cp, c5, 80); v128.store(cp, c6, 96); v128.store(cp, c7, 112);
    }
    for (; j + 4 <= nv; j += 4) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z, c3 = z;
      if (bias) {
        c0 = v128.load(bias + off, 0); c1 = v128.load(bias + off, 16);
        c2 = v128.load(bias + off, 32); c3 = v128.load(bias + off, 48);
      }
      for (let kk = 0; kk < k; kk++) {
        const av = load<f32>(arow + (<usize>kk << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const bp = b + (<usize>(kk * ldb) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(bp, 0)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(bp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(bp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(bp, 48)));
      }
      const cp = crow + off;
      v128.store(cp, c0, 0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
    }
    // The last 1–3 vectors in one pass (the 10-class output layer is exactly 3 vectors wide).
    const rem = nv - j;
    if (rem > 0) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z;
      if (bias) {
        c0 = v128.load(bias + off, 0);
        if (rem > 1) c1 = v128.load(bias + off, 16);
        if (rem > 2) c2 = v128.load(bias + off, 32);
      }
      for (let kk = 0; kk < k; kk++) {
        const av = load<f32>(arow + (<usize>kk << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const bp = b + (<usize>(kk * ldb) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(bp, 0)));
        if (rem > 1) c1 = f32x4.add(c1, f32x4.mul(s, v128.load(bp, 16)));
        if (rem > 2) c2 = f32x4.add(c2, f32x4.mul(s, v128.load(bp, 32)));
      }
      v128.store(crow + off, c0, 0);
      if (rem > 1) v128.store(crow + off, c1, 16);
      if (rem > 2) v128.store(crow + off, c2, 32);
    }
  }
}

/**
 * G[kk, :] = sum_i A[i, kk] * D[i, :] for kk < k, i < m (a weight gradient A^T D, overwriting G).
 * Vectorised over D's padded width n4; skip != 0 skips zero entries of A.
 */
export function gemmTN(a: usize, lda: i32, d: usize, ldd: i32, g: usize, ldg: i32,
                       m: i32, k: i32, n4: i32, skip: i32): void {
  const nv = n4 >> 2;
  const z = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const grow = g + (<usize>(kk * ldg) << 2);
    const acol = a + (<usize>kk << 2);
    let j = 0;
    for (; j + 8 <= nv; j += 8) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
      for (let i = 0; i < m; i++) {
        const av = load<f32>(acol + (<usize>(i * lda) << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const dp = d + (<usize>(i * ldd) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(dp, 0)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(dp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(dp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(dp, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(dp, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(dp, 80)));
        c6 = f32x4.add(c6, f32x4.mul(s, v128.load(dp, 96)));
        c7 = f32x4.add(c7, f32x4.mul(s, v128.load(dp, 112)));
      }
      const gp = grow + off;
      v128.store(gp, c0, 0); v128.store(gp, c1, 16); v128.store(gp, c2, 32); v128.store(gp, c3, 48);
      v128.store(gp, c4, 64); v128.store(gp, c5, 80); v128.store(gp, c6, 96); v128.store(gp, c7, 112);
    }
    for (; j + 4 <= nv; j += 4) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z, c3 = z;
      for (let i = 0; i < m; i++) {
        const av = load<f32>(acol + (<usize>(i * lda) << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const dp = d + (<usize>(i * ldd) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(dp, 0)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(dp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(dp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(dp, 48)));
      }
      const gp = grow + off;
      v128.store(gp, c0, 0); v128.store(gp, c1, 16); v128.store(gp, c2, 32); v128.store(gp, c3, 48);
    }
    const rem = nv - j;
    if (rem > 0) {
      const off = <usize>j << 4;
      let c0 = z, c1 = z, c2 = z;
      for (let i = 0; i < m; i++) {
        const av = load<f32>(acol + (<usize>(i * lda) << 2));
        if (skip && av == 0) continue;
        const s = f32x4.splat(av);
        const dp = d + (<usize>(i * ldd) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(dp, 0)));
        if (rem > 1) c1 = f32x4.add(c1, f32x4.mul(s, v128.load(dp, 16)));
        if (rem > 2) c2 = f32x4.add(c2, f32x4.mul(s, v128.load(dp, 32)));
      }
      v128.store(grow + off, c0, 0);
      if (rem > 1) v128.store(grow + off, c1, 16);
      if (rem > 2) v128.store(grow + off, c2, 32);
    }
  }
}

// ---- sparse input layer (rows in CSR: rowptr i32[], cols i32[], vals f32[]) ----

/** C[i, :] = bias + X[rows[i], :] * B for i < m, X in CSR; B is [k, n4] with stride ldb. */
export function csrNN(rows: usize, m: i32, rowptr: usize, cols: usize, vals: usize,
                      b: usize, ldb: i32, bias: usize, c: usize, ldc: i32, n4: i32): void {
  const nv = n4 >> 2;
  const z = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const r = load<i32>(rows + (<usize>i << 2));
    const p0 = load<i32>(rowptr + (<usize>r << 2));
    const p1 = load<i32>(rowptr + (<usize>(r + 1) << 2));
    const crow = c + (<usize>(i * ldc) << 2);
    let j = 0;
    if (nv == 16) {
      // 64 units (document 000's MLP): all sixteen sums in one walk over the row's nonzeros.
      csrRow16(p0, p1, cols, vals, b, ldb, bias, crow);
      continue;
    }
    for (; j + 8 <= nv; j += 8) {
      const off = <usize>j << 4;
      // A tail of 1–3 vectors after the last block rides along in this pass (100 units = 8+8+8+1)
      // rather than costing another walk over the row's nonzeros.
      const tail = j + 8 == nv - (nv & 7) && (nv & 7) < 4 ? nv & 7 : 0;
      let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z, t0 = z, t1 = z, t2 = z;
      if (bias) {
        c0 = v128.load(bias + off, 0); c1 = v128.load(bias + off, 16);
        c2 = v128.load(bias + off, 32); c3 = v128.load(bias + off, 48);
        c4 = v128.load(bias + off, 64); c5 = v128.load(bias + off, 80);
        c6 = v128.load(bias + off, 96); c7 = v128.load(bias + off, 112);
        if (tail > 0) t0 = v128.load(bias + off, 128);
        if (tail > 1) t1 = v128.load(bias + off, 144);
        if (tail > 2) t2 = v128.load(bias + off, 160);
      }
      for (let p = p0; p < p1; p++) {
        const kk = load<i32>(cols + (<usize>p << 2));
        const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
        const bp = b + (<usize>(kk * ldb) << 2) + off;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(bp, 0)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(bp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(bp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(bp, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(bp, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(bp, 80)));
        c6 = f32x4.add(c6, f32x4.mul(s, v128.load(bp, 96)));
        c7 = f32x4.add(c7, f32x4.mul(s, v128.load(bp, 112)));
        if (tail > 0) {
          t0 = f32x4.add(t0, f32x4.mul(s, v128.load(bp, 128)));
          if (tail > 1) t1 = f32x4.add(t1, f32x4.mul(s, v128.load(bp, 144)));
          if (tail > 2) t2 = f32x4.add(t2, f32x4.mul(s, v128.load(bp, 160)));
        }
      }
      const cp = crow + off;
      v128.store(cp, c0, 0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
      v128.store(cp, c4, 64); v128.store(cp, c5, 80); v128.store(cp, c6, 96); v128.store(cp, c7, 112);
      if (tail > 0) v128.store(cp, t0, 128);
      if (tail > 1) v128.store(cp, t1, 144);
      if (tail > 2) v128.store(cp, t2, 160);
      j += tail;
    }
    for (; j < nv; j++) {
      const off = <usize>j << 4;
      let c0 = bias ? v128.load(bias + off) : z;
      for (let p = p0; p < p1; p++) {
        const kk = load<i32>(cols + (<usize>p << 2));
        const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(b + (<usize>(kk * ldb) << 2) + off)));
      }
      v128.store(crow + off, c0);
    }
  }
}

/** csrNN's row for exactly 16 vectors (64 columns). */
@inline function csrRow16(p0: i32, p1: i32, cols: usize, vals: usize, b: usize, ldb: i32, bias: usize, crow: usize): void {
  const z = f32x4.splat(0);
  let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
  let c8 = z, c9 = z, ca = z, cb = z, cc = z, cd = z, ce = z, cf = z;
  if (bias) {
    c0 = v128.load(bias, 0); c1 = v128.load(bias, 16); c2 = v128.load(bias, 32); c3 = v128.load(bias, 48);
    c4 = v128.load(bias, 64); c5 = v128.load(bias, 80); c6 = v128.load(bias, 96); c7 = v128.load(bias, 112);
    c8 = v128.load(bias, 128); c9 = v128.load(bias, 144); ca = v128.load(bias, 160); cb = v128.load(bias, 176);
    cc = v128.load(bias, 192); cd = v128.load(bias, 208); ce = v128.load(bias, 224); cf = v128.load(bias, 240);
  }
  for (let p = p0; p < p1; p++) {
    const kk = load<i32>(cols + (<usize>p << 2));
    const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
    const bp = b + (<usize>(kk * ldb) << 2);
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(bp, 0)));
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(bp, 16)));
    c2 = f32x4.add(c2, f32x4.mul(s, v128.load(bp, 32)));
    c3 = f32x4.add(c3, f32x4.mul(s, v128.load(bp, 48)));
    c4 = f32x4.add(c4, f32x4.mul(s, v128.load(bp, 64)));
    c5 = f32x4.add(c5, f32x4.mul(s, v128.load(bp, 80)));
    c6 = f32x4.add(c6, f32x4.mul(s, v128.load(bp, 96)));
    c7 = f32x4.add(c7, f32x4.mul(s, v128.load(bp, 112)));
    c8 = f32x4.add(c8, f32x4.mul(s, v128.load(bp, 128)));
    c9 = f32x4.add(c9, f32x4.mul(s, v128.load(bp, 144)));
    ca = f32x4.add(ca, f32x4.mul(s, v128.load(bp, 160)));
    cb = f32x4.add(cb, f32x4.mul(s, v128.load(bp, 176)));
    cc = f32x4.add(cc, f32x4.mul(s, v128.load(bp, 192)));
    cd = f32x4.add(cd, f32x4.mul(s, v128.load(bp, 208)));
    ce = f32x4.add(ce, f32x4.mul(s, v128.load(bp, 224)));
    cf = f32x4.add(cf, f32x4.mul(s, v128.load(bp, 240)));
  }
  v128.store(crow, c0, 0); v128.store(crow, c1, 16); v128.store(crow, c2, 32); v128.store(crow, c3, 48);
  v128.store(crow, c4, 64); v128.store(crow, c5, 80); v128.store(crow, c6, 96); v128.store(crow, c7, 112);
  v128.store(crow, c8, 128); v128.store(crow, c9, 144); v128.store(crow, ca, 160); v128.store(crow, cb, 176);
  v128.store(crow, cc, 192); v128.store(crow, cd, 208); v128.store(crow, ce, 224); v128.store(crow, cf, 240);
}

/** csrTN's row for exactly 16 vectors (64 columns): G[col, :] += val · D[i, :] per nonzero. */
@inline function csrRowT16(p0: i32, p1: i32, cols: usize, vals: usize, drow: usize, g: usize, ldg: i32): void {
  const d0 = v128.load(drow, 0), d1 = v128.load(drow, 16), d2 = v128.load(drow, 32), d3 = v128.load(drow, 48);
  const d4 = v128.load(drow, 64), d5 = v128.load(drow, 80), d6 = v128.load(drow, 96), d7 = v128.load(drow, 112);
  const d8 = v128.load(drow, 128), d9 = v128.load(drow, 144), da = v128.load(drow, 160), db = v128.load(drow, 176);
  const dc = v128.load(drow, 192), dd = v128.load(drow, 208), de = v128.load(drow, 224), df = v128.load(drow, 240);
  for (let p = p0; p < p1; p++) {
    const kk = load<i32>(cols + (<usize>p << 2));
    const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
    const gp = g + (<usize>(kk * ldg) << 2);
    v128.store(gp, f32x4.add(v128.load(gp, 0), f32x4.mul(s, d0)), 0);
    v128.store(gp, f32x4.add(v128.load(gp, 16), f32x4.mul(s, d1)), 16);
    v128.store(gp, f32x4.add(v128.load(gp, 32), f32x4.mul(s, d2)), 32);
    v128.store(gp, f32x4.add(v128.load(gp, 48), f32x4.mul(s, d3)), 48);
    v128.store(gp, f32x4.add(v128.load(gp, 64), f32x4.mul(s, d4)), 64);
    v128.store(gp, f32x4.add(v128.load(gp, 80), f32x4.mul(s, d5)), 80);
    v128.store(gp, f32x4.add(v128.load(gp, 96), f32x4.mul(s, d6)), 96);
    v128.store(gp, f32x4.add(v128.load(gp, 112), f32x4.mul(s, d7)), 112);
    v128.store(gp, f32x4.add(v128.load(gp, 128), f32x4.mul(s, d8)), 128);
    v128.store(gp, f32x4.add(v128.load(gp, 144), f32x4.mul(s, d9)), 144);
    v128.store(gp, f32x4.add(v128.load(gp, 160), f32x4.mul(s, da)), 160);
    v128.store(gp, f32x4.add(v128.load(gp, 176), f32x4.mul(s, db)), 176);
    v128.store(gp, f32x4.add(v128.load(gp, 192), f32x4.mul(s, dc)), 192);
    v128.store(gp, f32x4.add(v128.load(gp, 208), f32x4.mul(s, dd)), 208);
    v128.store(gp, f32x4.add(v128.load(gp, 224), f32x4.mul(s, de)), 224);
    v128.store(gp, f32x4.add(v128.load(gp, 240), f32x4.mul(s, df)), 240);
  }
}

/** G = sum_i X[rows[i], :]^T D[i, :] (G is [k, n4], stride ldg, zeroed first), X in CSR. */
export function csrTN(rows: usize, m: i32, rowptr: usize, cols: usize, vals: usize,
                      d: usize, ldd: i32, g: usize, ldg: i32, k: i32, n4: i32): void {
  memory.fill(g, 0, <usize>(k * ldg) << 2);
  const nv = n4 >> 2;
  for (let i = 0; i < m; i++) {
    const r = load<i32>(rows + (<usize>i << 2));
    const p0 = load<i32>(rowptr + (<usize>r << 2));
    const p1 = load<i32>(rowptr + (<usize>(r + 1) << 2));
    const drow = d + (<usize>(i * ldd) << 2);
    let j = 0;
    if (nv == 16) {
      csrRowT16(p0, p1, cols, vals, drow, g, ldg);
      continue;
    }
    for (; j + 8 <= nv; j += 8) {
      const off = <usize>j << 4;
      const tail = j + 8 == nv - (nv & 7) && (nv & 7) < 4 ? nv & 7 : 0; // as in csrNN
      const dp = drow + off;
      const d0 = v128.load(dp, 0), d1 = v128.load(dp, 16), d2 = v128.load(dp, 32), d3 = v128.load(dp, 48);
      const d4 = v128.load(dp, 64), d5 = v128.load(dp, 80), d6 = v128.load(dp, 96), d7 = v128.load(dp, 112);
      const e0 = tail > 0 ? v128.load(dp, 128) : f32x4.splat(0);
      const e1 = tail > 1 ? v128.load(dp, 144) : f32x4.splat(0);
      const e2 = tail > 2 ? v128.load(dp, 160) : f32x4.splat(0);
      for (let p = p0; p < p1; p++) {
        const kk = load<i32>(cols + (<usize>p << 2));
        const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
        const gp = g + (<usize>(kk * ldg) << 2) + off;
        v128.store(gp, f32x4.add(v128.load(gp, 0), f32x4.mul(s, d0)), 0);
        v128.store(gp, f32x4.add(v128.load(gp, 16), f32x4.mul(s, d1)), 16);
        v128.store(gp, f32x4.add(v128.load(gp, 32), f32x4.mul(s, d2)), 32);
        v128.store(gp, f32x4.add(v128.load(gp, 48), f32x4.mul(s, d3)), 48);
        v128.store(gp, f32x4.add(v128.load(gp, 64), f32x4.mul(s, d4)), 64);
        v128.store(gp, f32x4.add(v128.load(gp, 80), f32x4.mul(s, d5)), 80);
        v128.store(gp, f32x4.add(v128.load(gp, 96), f32x4.mul(s, d6)), 96);
        v128.store(gp, f32x4.add(v128.load(gp, 112), f32x4.mul(s, d7)), 112);
        if (tail > 0) {
          v128.store(gp, f32x4.add(v128.load(gp, 128), f32x4.mul(s, e0)), 128);
          if (tail > 1) v128.store(gp, f32x4.add(v128.load(gp, 144), f32x4.mul(s, e1)), 144);
          if (tail > 2) v128.store(gp, f32x4.add(v128.load(gp, 160), f32x4.mul(s, e2)), 160);
        }
      }
      j += tail;
    }
    for (; j < nv; j++) {
      const off = <usize>j << 4;
      const d0 = v128.load(drow + off);
      for (let p = p0; p < p1; p++) {
        const kk = load<i32>(cols + (<usize>p << 2));
        const s = f32x4.splat(load<f32>(vals + (<usize>p << 2)));
        const gp = g + (<usize>(kk * ldg) << 2) + off;
        v128.store(gp, f32x4.add(v128.load(gp), f32x4.mul(s, d0)));
      }
    }
  }
}

/** dst[c, r] = src[r, c] for r < rows, c < cols. */
export function transpose(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * lds) << 2);
    for (let c = 0; c < cols; c++) {
      store<f32>(dst + (<usize>(c * ldd + r) << 2), load<f32>(s + (<usize>c << 2)));
    }
  }
}

/**
 * CSR of m dense rows of k floats (stride ld): rowptr (m+1 entries), then the column and value of
 * every non-zero entry; returns their count. cols and vals need room for m·k entries. Groups
 * of four zeros are skipped a vector at a time (MNIST rows are ~80% zeros, mostly in long runs).
 */
export function denseToCsr(x: usize, ld: i32, m: i32, k: i32, rowptr: usize, cols: usize, vals: usize): i32 {
  let q = 0;
  const k4 = k & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    store<i32>(rowptr + (<usize>i << 2), q);
    const row = x + (<usize>(i * ld) << 2);
    let j = 0;
    for (; j < k4; j += 4) {
      const v = v128.load(row + (<usize>j << 2));
      if (!v128.any_true(f32x4.ne(v, zero))) continue;
      // Branch-free within the group: write each entry, advance only past non-zeros (real
      // digits mispredict a per-pixel branch about every other pixel at the strokes' edges).
      q = put(cols, vals, q, j, f32x4.extract_lane(v, 0));
      q = put(cols, vals, q, j + 1, f32x4.extract_lane(v, 1));
      q = put(cols, vals, q, j + 2, f32x4.extract_lane(v, 2));
      q = put(cols, vals, q, j + 3, f32x4.extract_lane(v, 3));
    }
    for (; j < k; j++) q = put(cols, vals, q, j, load<f32>(row + (<usize>j << 2)));
  }
  store<i32>(rowptr + (<usize>m << 2), q);
  return q;
}

@inline function put(cols: usize, vals: usize, q: i32, j: i32, v: f32): i32 {
  store<i32>(cols + (<usize>q << 2), j);
  store<f32>(vals + (<usize>q << 2), v);
  return q + <i32>(v != 0);
}

// ---- activations (kind: 0 identity, 1 logistic, 2 tanh, 3 relu), n a multiple of 4 ----

export function activate(z: usize, n: i32, kind: i32): void {
  if (kind == 0) return;
  const one = f32x4.splat(1), two = f32x4.splat(2), zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const p = z + (<usize>i << 2);
    const x = v128.load(p);
    let y: v128;
    if (kind == 3) y = f32x4.max(x, zero);
    else if (kind == 1) y = f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
    else y = f32x4.sub(one, f32x4.div(two, f32x4.add(vexp(f32x4.add(x, x)), one)));
    v128.store(p, y);
  }
}

/** d *= f'(.) written in terms of the activation output a (as sklearn's DERIVATIVES). */
export function derivative(a: usize, d: usize, n: i32, kind: i32): void {
  if (kind == 0) return;
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const x = v128.load(a + o);
    const g = v128.load(d + o);
    let y: v128;
    if (kind == 3) y = v128.and(g, f32x4.gt(x, zero));
    else if (kind == 1) y = f32x4.mul(g, f32x4.mul(x, f32x4.sub(one, x)));
    else y = f32x4.mul(g, f32x4.sub(one, f32x4.mul(x, x)));
    v128.store(d + o, y);
  }
}

// ---- output layers ----

const EPS: f64 = 2.220446049250313e-16; // numpy float64 eps: sklearn clips probabilities to it

/**
 * Row softmax over the first nc of ld columns (in place: z becomes probabilities, padding 0).
 * With labels != 0 (i32 per row) it turns the rows into the delta P - Y and returns the summed
 * log-loss; with labels == 0 it only normalises (predict_proba).
 */
export function softmax(z: usize, ld: i32, m: i32, nc: i32, labels: usize): f64 {
  let loss: f64 = 0;
  const nv = ld >> 2;
  for (let i = 0; i < m; i++) {
    const row = z + (<usize>(i * ld) << 2);
    let mx: f32 = -Infinity;
    for (let c = 0; c < nc; c++) mx = max(mx, load<f32>(row + (<usize>c << 2)));
    const smx = f32x4.splat(mx);
    let sum: f32 = 0;
    for (let v = 0; v < nv; v++) {
      const p = row + (<usize>v << 4);
      let e = vexp(f32x4.sub(v128.load(p), smx));
      const lane = i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(v << 2));
      e = v128.and(e, i32x4.lt_s(lane, i32x4.splat(nc)));
      v128.store(p, e);
      sum += f32x4.extract_lane(e, 0) + f32x4.extract_lane(e, 1) + f32x4.extract_lane(e, 2) + f32x4.extract_lane(e, 3);
    }
    const inv = f32x4.splat(<f32>1 / sum);
    for (let v = 0; v < nv; v++) {
      const p = row + (<usize>v << 4);
      v128.store(p, f32x4.mul(v128.load(p), inv));
    }
    if (labels) {
      const y = load<i32>(labels + (<usize>i << 2));
      const py = row + (<usize>y << 2);
      const pv = load<f32>(py);
      loss -= Math.log(max(<f64>pv, EPS));
      store<f32>(py, pv - 1);
    }
  }
  return loss;
}

/** Binary case (sklearn: one logistic output, binary log-loss). z is [m] with stride ld. */
export function sigmoidOut(z: usize, ld: i32, m: i32, labels: usize): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < m; i++) {
    const p = z + (<usize>(i * ld) << 2);
    const x = <f64>load<f32>(p);
    const q = 1 / (1 + Math.exp(-x));
    if (labels) {
      const y = <f64>load<i32>(labels + (<usize>i << 2));
      const qc = min(max(q, EPS), 1 - EPS);
      loss -= y * Math.log(qc) + (1 - y) * Math.log(1 - qc);
      store<f32>(p, <f32>(q - y));
    } else {
      store<f32>(p, <f32>q);
    }
  }
  return loss;
}

// ---- gradient finishing and optimisers (n a multiple of 4) ----

/** g = (g + alpha * w) * scale: the L2 term and the batch mean of sklearn's _compute_loss_grad. */
export function finishGrad(g: usize, w: usize, n: i32, alpha: f32, scale: f32): void {
  const va = f32x4.splat(alpha), vs = f32x4.splat(scale);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.mul(f32x4.add(v128.load(g + o), f32x4.mul(va, v128.load(w + o))), vs));
  }
}

/** out[j] = mean_i D[i, j] (the intercept gradient). */
export function colMean(d: usize, ldd: i32, m: i32, n4: i32, out: usize): void {
  const s = f32x4.splat(<f32>1 / <f32>m);
  for (let j = 0; j < n4; j += 4) {
    let acc = f32x4.splat(0);
    for (let i = 0; i < m; i++) acc = f32x4.add(acc, v128.load(d + (<usize>(i * ldd + j) << 2)));
    v128.store(out + (<usize>j << 2), f32x4.mul(acc, s));
  }
}

/** Sum of squares (the L2 penalty), accumulated in f64 per vector lane group. */
export function sumSq(w: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i += 4) {
    const x = v128.load(w + (<usize>i << 2));
    const q = f32x4.mul(x, x);
    total += <f64>(f32x4.extract_lane(q, 0) + f32x4.extract_lane(q, 1) + f32x4.extract_lane(q, 2) + f32x4.extract_lane(q, 3));
  }
  return total;
}

/** Adam step as sklearn's AdamOptimizer (lr already bias-corrected by the caller). */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32): void {
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(1 - b1);
  const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(1 - b2);
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gr = v128.load(g + o);
    const mm = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gr));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gr, gr)));
    v128.store(m + o, mm);
    v128.store(v + o, vv);
    const upd = f32x4.div(f32x4.mul(vlr, mm), f32x4.add(f32x4.sqrt(vv), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), upd));
  }
}

/** SGD with (Nesterov) momentum as sklearn's SGDOptimizer. */
export function sgd(p: usize, g: usize, vel: usize, n: i32, lr: f32, momentum: f32, nesterov: i32): void {
  const vm = f32x4.splat(momentum), vlr = f32x4.splat(lr);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gr = f32x4.mul(vlr, v128.load(g + o));
    const u = f32x4.sub(f32x4.mul(vm, v128.load(vel + o)), gr);
    v128.store(vel + o, u);
    const step = nesterov ? f32x4.sub(f32x4.mul(vm, u), gr) : u;
    v128.store(p + o, f32x4.add(v128.load(p + o), step));
  }
}

// ---- tfjs-core's optimisers, operation for operation (the fused Dense training step) ----

/**
 * RMSprop as tfjs's RMSPropOptimizer (not centered): ms = ms·decay + g²·(1−decay);
 * mom = mom·momentum + (g·lr) / √(ms + eps); p = p − mom. The complements 1−decay (and 1−β
 * below) come from the caller, rounded from float64 as tfjs does, not computed here in float32.
 */
export function rmspropTf(p: usize, g: usize, ms: usize, mom: usize, n: i32, lr: f32, decay: f32, oneMinusDecay: f32, momentum: f32, eps: f32): void {
  const vd = f32x4.splat(decay), vc = f32x4.splat(oneMinusDecay), vm = f32x4.splat(momentum);
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gr = v128.load(g + o);
    const s = f32x4.add(f32x4.mul(v128.load(ms + o), vd), f32x4.mul(f32x4.mul(gr, gr), vc));
    const u = f32x4.add(f32x4.mul(v128.load(mom + o), vm), f32x4.div(f32x4.mul(gr, vlr), f32x4.sqrt(f32x4.add(s, veps))));
    v128.store(ms + o, s);
    v128.store(mom + o, u);
    v128.store(p + o, f32x4.sub(v128.load(p + o), u));
  }
}

/**
 * Adam as tfjs's AdamOptimizer: m = m·β1 + g·(1−β1); v = v·β2 + g²·(1−β2);
 * p = (m/c1) / (√(v/c2) + eps) · (−lr) + p with c1 = 1 − β1^t, c2 = 1 − β2^t from the caller.
 */
export function adamTf(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, oneMinusB1: f32, b2: f32, oneMinusB2: f32,
                       eps: f32, c1: f32, c2: f32): void {
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(oneMinusB1);
  const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(oneMinusB2);
  const nlr = f32x4.splat(-lr), veps = f32x4.splat(eps), k1 = f32x4.splat(c1), k2 = f32x4.splat(c2);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const gr = v128.load(g + o);
    const mm = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gr, vc1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gr, gr), vc2));
    v128.store(m + o, mm);
    v128.store(v + o, vv);
    const step = f32x4.div(f32x4.div(mm, k1), f32x4.add(f32x4.sqrt(f32x4.div(vv, k2)), veps));
    v128.store(p + o, f32x4.add(f32x4.mul(step, nlr), v128.load(p + o)));
  }
}

/**
 * Keras' categorical cross-entropy on softmax outputs as tfjs differentiates it, for m rows of P
 * (probabilities, stride ld) against targets T (m × n, dense): y = p/Σp, c = clip(y, ε, 1−ε),
 * loss = −Σ t·log c; D (stride ld) gets d(mean loss)/d(logits): g = −t/c where ε ≤ y ≤ 1−ε
 * (clip passes no gradient outside), dp = (g − Σ g·y)/Σp, dz = (dp − Σ dp·p)·p, divided by m.
 * Returns the summed loss; the number of rows whose argmax of P equals that of T is stored at
 * `correct` (first maximum wins on both sides, as tf.argMax).
 */
export function cceSoftmaxGrad(P: usize, ld: i32, m: i32, n: i32, T: usize, D: usize, eps: f32, correct: usize): f64 {
  let loss: f64 = 0;
  let hits = 0;
  const lo = <f64>eps;
  const hi = <f64>(<f32>(1 - <f64>eps));
  const invM = 1 / <f64>m;
  for (let i = 0; i < m; i++) {
    const p = P + (<usize>(i * ld) << 2);
    const t = T + (<usize>(i * n) << 2);
    const d = D + (<usize>(i * ld) << 2);
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += <f64>load<f32>(p + (<usize>j << 2));
    s = <f64>(<f32>s);
    let gy: f64 = 0;
    let bp = 0, bt = 0;
    for (let j = 0; j < n; j++) {
      const pj = <f64>load<f32>(p + (<usize>j << 2));
      const tj = <f64>load<f32>(t + (<usize>j << 2));
      const y = <f64>(<f32>(pj / s));
      if (tj != 0) loss -= tj * Math.log(min(max(y, lo), hi));
      gy += cceGrad(y, tj, lo, hi) * y;
      if (pj > <f64>load<f32>(p + (<usize>bp << 2))) bp = j;
      if (tj > <f64>load<f32>(t + (<usize>bt << 2))) bt = j;
    }
    if (bp == bt) hits++;
    let dpp: f64 = 0;
    for (let j = 0; j < n; j++) {
      const pj = <f64>load<f32>(p + (<usize>j << 2));
      const y = <f64>(<f32>(pj / s));
      const dp = (cceGrad(y, <f64>load<f32>(t + (<usize>j << 2)), lo, hi) - gy) / s;
      store<f32>(d + (<usize>j << 2), <f32>dp); // dp for now, dz below
      dpp += dp * pj;
    }
    for (let j = 0; j < n; j++) {
      const pj = <f64>load<f32>(p + (<usize>j << 2));
      store<f32>(d + (<usize>j << 2), <f32>((<f64>load<f32>(d + (<usize>j << 2)) - dpp) * pj * invM));
    }
  }
  store<i32>(correct, hits);
  return loss;
}

/** d(−t·log clip(y))/dy: zero where the clip is active (tfjs's clipByValue gradient). */
@inline function cceGrad(y: f64, t: f64, lo: f64, hi: f64): f64 {
  return y >= lo && y <= hi ? -t / y : 0;
}
