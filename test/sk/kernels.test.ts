import { describe, it, expect } from 'vitest';
import { Workspace } from '../../src/simd/kernels';

describe('wasm kernels', () => {
  it('vector exp matches Math.exp to float32 precision', () => {
    const ws = new Workspace();
    const xs = Array.from({ length: 400 }, (_, i) => -80 + i * 0.4);
    const r = ws.alloc(xs.length);
    ws.f32(r.ptr, xs.length).set(xs);
    ws.k.expInPlace(r.ptr, xs.length);
    const got = ws.f32(r.ptr, xs.length);
    // Against exp of the float32 input (the rounding of x itself is not the kernel's error).
    xs.forEach((x, i) => {
      const want = Math.exp(Math.fround(x));
      expect(Math.abs(got[i] - want) / want).toBeLessThan(1e-6);
    });
  });

  // Widths that exercise the 8-, 4- and 3/2/1-vector blocks of the kernels.
  it.each([[45, 48], [10, 12], [7, 8], [3, 4], [100, 100]])('gemmNN and gemmTN agree with naive products (n = %i, ld = %i)', (n, ld) => {
    const ws = new Workspace();
    const m = 7, k = 9;
    const A = ws.alloc(m * 12), B = ws.alloc(k * ld), bias = ws.alloc(ld), C = ws.alloc(m * ld), G = ws.alloc(12 * ld);
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const a = ws.f32(A.ptr, m * 12), b = ws.f32(B.ptr, k * ld), bb = ws.f32(bias.ptr, ld);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) a[i * 12 + j] = j % 3 === 0 ? 0 : rnd();
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) b[i * ld + j] = rnd();
    for (let j = 0; j < n; j++) bb[j] = rnd();
    for (const skip of [0, 1]) {
      ws.k.gemmNN(A.ptr, 12, B.ptr, ld, bias.ptr, C.ptr, ld, m, k, ld, skip);
      const c = ws.f32(C.ptr, m * ld);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let want = bb[j];
        for (let q = 0; q < k; q++) want += a[i * 12 + q] * b[q * ld + j];
        expect(c[i * ld + j]).toBeCloseTo(want, 4);
      }
    }
    // G = A^T C: G[q, j] = sum_i A[i, q] C[i, j]
    ws.k.gemmTN(A.ptr, 12, C.ptr, ld, G.ptr, ld, m, k, ld, 1);
    const c = ws.f32(C.ptr, m * ld), g = ws.f32(G.ptr, 12 * ld);
    for (let q = 0; q < k; q++) for (let j = 0; j < n; j++) {
      let want = 0;
      for (let i = 0; i < m; i++) want += a[i * 12 + q] * c[i * ld + j];
      expect(g[q * ld + j]).toBeCloseTo(want, 3);
    }
  });

  // 100 = 8+8+8+1 and 44 = 8+3 vectors: the tail rides along with the last 8-block.
  it.each([[100, 100], [44, 44], [36, 36], [48, 48], [10, 12]])('csrNN and csrTN agree with dense products (n = %i, ld = %i)', (n, ld) => {
    const ws = new Workspace();
    const m = 5, k = 6;
    const dense = [[0, 2, 0, 0, 1, 3], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [4, 5, 6, 7, 8, 9], [0, 0, 0.5, 0, 0, 0]];
    const nz = dense.flat().filter((v) => v !== 0).length;
    const rowptr = ws.alloc(m + 1), cols = ws.alloc(nz), vals = ws.alloc(nz), rows = ws.alloc(m);
    const B = ws.alloc(k * ld), bias = ws.alloc(ld), C = ws.alloc(m * ld), D = ws.alloc(m * ld), G = ws.alloc(k * ld);
    const rp = ws.i32(rowptr.ptr, m + 1), ci = ws.i32(cols.ptr, nz), cv = ws.f32(vals.ptr, nz);
    let q = 0;
    dense.forEach((row, i) => {
      rp[i] = q;
      row.forEach((v, j) => { if (v !== 0) { ci[q] = j; cv[q++] = v; } });
    });
    rp[m] = q;
    ws.i32(rows.ptr, m).set([3, 0, 4, 2, 1]); // a shuffled batch
    const order = [3, 0, 4, 2, 1];
    const b = ws.f32(B.ptr, k * ld), bb = ws.f32(bias.ptr, ld), d = ws.f32(D.ptr, m * ld);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) b[i * ld + j] = Math.sin(i * 31 + j);
    for (let j = 0; j < n; j++) bb[j] = Math.cos(j);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[i * ld + j] = Math.sin(7 * i + 3 * j + 1);
    ws.k.csrNN(rows.ptr, m, rowptr.ptr, cols.ptr, vals.ptr, B.ptr, ld, bias.ptr, C.ptr, ld, ld);
    ws.k.csrTN(rows.ptr, m, rowptr.ptr, cols.ptr, vals.ptr, D.ptr, ld, G.ptr, ld, k, ld);
    const c = ws.f32(C.ptr, m * ld), g = ws.f32(G.ptr, k * ld);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      const x = dense[order[i]];
      expect(c[i * ld + j]).toBeCloseTo(bb[j] + x.reduce((s2, v, kk) => s2 + v * b[kk * ld + j], 0), 4);
    }
    for (let kk = 0; kk < k; kk++) for (let j = 0; j < n; j++) {
      expect(g[kk * ld + j]).toBeCloseTo(order.reduce((s2, r, i) => s2 + dense[r][kk] * d[i * ld + j], 0), 4);
    }
  });

  it('softmax gives probabilities, the delta P - Y and the summed log-loss', () => {
    const ws = new Workspace();
    const Z = ws.alloc(2 * 4), L = ws.alloc(2);
    ws.f32(Z.ptr, 8).set([1, 2, 3, 99, 0, 0, 0, 99]); // column 3 is padding (nc = 3)
    ws.i32(L.ptr, 2).set([2, 0]);
    const loss = ws.k.softmax(Z.ptr, 4, 2, 3, L.ptr);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const sum = e[0] + e[1] + e[2];
    expect(loss).toBeCloseTo(-Math.log(e[2] / sum) - Math.log(1 / 3), 5);
    const d = ws.f32(Z.ptr, 8);
    expect(d[2]).toBeCloseTo(e[2] / sum - 1, 6);
    expect(d[3]).toBe(0);
    expect(d[4]).toBeCloseTo(1 / 3 - 1, 6);
  });
});
