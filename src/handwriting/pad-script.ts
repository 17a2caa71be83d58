/**
 * The drawing pad's in-page program, as plain ES5-ish JavaScript (it runs inside a notebook's
 * output, which loads no modules and may not reach any CDN). It is the TypeScript pipeline of
 * ink.ts/tile.ts cut to what a clean canvas needs — the pad owns its white paper, so there is no
 * background to fit — followed by a forward pass over the exported layers.
 *
 * Kept as a string (not a compiled function's toString()) so that what the page runs is exactly
 * this text, whatever compiler or test transform built the library.
 */
export const PAD_SCRIPT = String.raw`
// A weight tensor: base64 float32, or base64 uint8 with q = {min, scale} (v = min + q * scale).
function dlDecode(b64, q) {
  var s = atob(b64), u = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  if (!q) return new Float32Array(u.buffer);
  var out = new Float32Array(u.length);
  for (var i = 0; i < u.length; i++) out[i] = q.min + u[i] * q.scale;
  return out;
}
function dlAct(a, name) {
  if (name === 'relu') { for (var i = 0; i < a.length; i++) if (a[i] < 0) a[i] = 0; }
  else if (name === 'relu6') { for (var i = 0; i < a.length; i++) a[i] = Math.min(6, Math.max(0, a[i])); }
  else if (name === 'sigmoid') { for (var i = 0; i < a.length; i++) a[i] = 1 / (1 + Math.exp(-a[i])); }
  else if (name === 'tanh') { for (var i = 0; i < a.length; i++) a[i] = Math.tanh(a[i]); }
  else if (name === 'softmax') {
    var m = -Infinity, s = 0;
    for (var i = 0; i < a.length; i++) m = Math.max(m, a[i]);
    for (var i = 0; i < a.length; i++) { a[i] = Math.exp(a[i] - m); s += a[i]; }
    for (var i = 0; i < a.length; i++) a[i] /= s;
  }
  return a;
}
// TensorFlow's SAME padding: output ceil(in/stride), padding split with the extra on the far side.
function dlPad(n, k, s, padding) {
  if (padding === 'same') { var out = Math.ceil(n / s); return { out: out, before: Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) }; }
  return { out: Math.floor((n - k) / s) + 1, before: 0 };
}
// x: {h, w, c, data} in NHWC order (one image); returns the same shape object or a flat vector.
function dlForward(layers, input) {
  var x = input;
  for (var li = 0; li < layers.length; li++) {
    var L = layers[li];
    if (L.type === 'Dense') {
      var inN = L.inputs, K = L.w[0], B = L.w[1], out = new Float32Array(L.units);
      for (var j = 0; j < L.units; j++) out[j] = B ? B[j] : 0;
      for (var i = 0; i < inN; i++) { var v = x.data[i]; if (v === 0) continue; var o = i * L.units; for (var j = 0; j < L.units; j++) out[j] += v * K[o + j]; }
      x = { h: 1, w: 1, c: L.units, data: dlAct(out, L.activation) };
    } else if (L.type === 'Conv2D') {
      var kh = L.kernel[0], kw = L.kernel[1], sh = L.strides[0], sw = L.strides[1], F = L.filters, C = x.c;
      var py = dlPad(x.h, kh, sh, L.padding), px = dlPad(x.w, kw, sw, L.padding);
      var K = L.w[0], B = L.w[1], out = new Float32Array(py.out * px.out * F);
      for (var oy = 0; oy < py.out; oy++) for (var ox = 0; ox < px.out; ox++) {
        var o = (oy * px.out + ox) * F;
        for (var f = 0; f < F; f++) out[o + f] = B ? B[f] : 0;
        for (var ky = 0; ky < kh; ky++) {
          var iy = oy * sh + ky - py.before; if (iy < 0 || iy >= x.h) continue;
          for (var kx = 0; kx < kw; kx++) {
            var ix = ox * sw + kx - px.before; if (ix < 0 || ix >= x.w) continue;
            for (var c = 0; c < C; c++) {
              var v = x.data[(iy * x.w + ix) * C + c]; if (v === 0) continue;
              var kb = ((ky * kw + kx) * C + c) * F;
              for (var f = 0; f < F; f++) out[o + f] += v * K[kb + f];
            }
          }
        }
      }
      x = { h: py.out, w: px.out, c: F, data: dlAct(out, L.activation) };
    } else if (L.type === 'MaxPooling2D' || L.type === 'AveragePooling2D') {
      var ph = L.pool[0], pw = L.pool[1], sh = L.strides[0], sw = L.strides[1], C = x.c, isMax = L.type === 'MaxPooling2D';
      var py = dlPad(x.h, ph, sh, L.padding), px = dlPad(x.w, pw, sw, L.padding);
      var out = new Float32Array(py.out * px.out * C);
      for (var oy = 0; oy < py.out; oy++) for (var ox = 0; ox < px.out; ox++) for (var c = 0; c < C; c++) {
        var best = isMax ? -Infinity : 0, n = 0;
        for (var ky = 0; ky < ph; ky++) { var iy = oy * sh + ky - py.before; if (iy < 0 || iy >= x.h) continue;
          for (var kx = 0; kx < pw; kx++) { var ix = ox * sw + kx - px.before; if (ix < 0 || ix >= x.w) continue;
            var v = x.data[(iy * x.w + ix) * C + c]; if (isMax) { if (v > best) best = v; } else { best += v; } n++; } }
        out[(oy * px.out + ox) * C + c] = isMax ? best : best / n;
      }
      x = { h: py.out, w: px.out, c: C, data: out };
    } else if (L.type === 'Activation') {
      x = { h: x.h, w: x.w, c: x.c, data: dlAct(Float32Array.from(x.data), L.activation) };
    } else if (L.type === 'Flatten') {
      // NHWC memory order is already the flattened order.
      x = { h: 1, w: 1, c: x.data.length, data: x.data };
    } else if (L.type === 'Reshape') {
      var t = L.target; x = t.length === 3 ? { h: t[0], w: t[1], c: t[2], data: x.data } : { h: 1, w: 1, c: x.data.length, data: x.data };
    } // Dropout and InputLayer: nothing to do at prediction time.
  }
  return Array.prototype.slice.call(x.data);
}
// The library's resampling (tile.ts): area averaging to shrink, linear interpolation to enlarge.
function dlWeights(src, dst) {
  var s = src / dst, out = [];
  for (var o = 0; o < dst; o++) {
    var idx = [], w = [];
    if (s >= 1) {
      var a = o * s, b = (o + 1) * s;
      for (var i = Math.floor(a); i < Math.ceil(b) && i < src; i++) { var cover = Math.min(b, i + 1) - Math.max(a, i); if (cover > 0) { idx.push(i); w.push(cover / s); } }
    } else {
      var c = Math.min(src - 1, Math.max(0, (o + 0.5) * s - 0.5)), i0 = Math.floor(c), f = c - i0;
      idx.push(i0); w.push(1 - f); if (f > 0 && i0 + 1 < src) { idx.push(i0 + 1); w.push(f); }
    }
    out.push({ idx: idx, w: w });
  }
  return out;
}
function dlResize(src, sw, sh, dw, dh) {
  var wx = dlWeights(sw, dw), wy = dlWeights(sh, dh), mid = new Float32Array(dw * sh), out = new Float32Array(dw * dh);
  for (var y = 0; y < sh; y++) for (var x = 0; x < dw; x++) { var s = 0, q = wx[x]; for (var k = 0; k < q.idx.length; k++) s += q.w[k] * src[y * sw + q.idx[k]]; mid[y * dw + x] = s; }
  for (var y = 0; y < dh; y++) { var q = wy[y]; for (var x = 0; x < dw; x++) { var s = 0; for (var k = 0; k < q.idx.length; k++) s += q.w[k] * mid[q.idx[k] * dw + x]; out[y * dw + x] = s; } }
  return out;
}
// Canvas RGBA (black ink on white) → 28x28 MNIST tile in 0..1, or null when nothing is drawn.
function dlTile(rgba, W, H) {
  var ink = new Float32Array(W * H), strong = [];
  for (var i = 0; i < W * H; i++) {
    var g = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
    ink[i] = Math.max(0, 255 - g); if (ink[i] > 4) strong.push(ink[i]);
  }
  if (strong.length < 3) return null;
  strong.sort(function (a, b) { return a - b; });
  var level = strong[Math.min(strong.length - 1, Math.floor(0.9 * strong.length))];
  if (level < 24) return null;
  var t = Math.max(3.5, 0.22 * level), x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (var y = 0; y < H; y++) for (var x = 0; x < W; x++) {
    var i = y * W + x; ink[i] = ink[i] > t ? Math.min(1, ink[i] / level) : 0;
    if (ink[i] > 0) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  var cw = x1 - x0 + 1, ch = y1 - y0 + 1, crop = new Float32Array(cw * ch);
  for (var y = 0; y < ch; y++) for (var x = 0; x < cw; x++) crop[y * cw + x] = ink[(y + y0) * W + x + x0];
  var k = 20 / Math.max(cw, ch), dw = Math.max(1, Math.round(cw * k)), dh = Math.max(1, Math.round(ch * k));
  var s = dlResize(crop, cw, ch, dw, dh), mx = 0;
  for (var i = 0; i < s.length; i++) if (s[i] > mx) mx = s[i];
  for (var i = 0; i < s.length; i++) s[i] = Math.min(1, s[i] / mx);
  var m = 0, sx = 0, sy = 0;
  for (var y = 0; y < dh; y++) for (var x = 0; x < dw; x++) { var v = s[y * dw + x]; m += v; sx += v * x; sy += v * y; }
  var ox = Math.min(28 - dw, Math.max(0, Math.round(13.5 - sx / m))), oy = Math.min(28 - dh, Math.max(0, Math.round(13.5 - sy / m)));
  var tile = new Float32Array(784);
  for (var y = 0; y < dh; y++) for (var x = 0; x < dw; x++) tile[(y + oy) * 28 + x + ox] = s[y * dw + x];
  return tile;
}
function dlPad_init(root, spec) {
  var layers = spec.layers.map(function (L) { var c = {}; for (var k in L) c[k] = L[k]; c.w = (L.w || []).map(function (b, i) { return dlDecode(b, L.q && L.q[i]); }); return c; });
  var cv = root.querySelector('.dl-canvas'), ctx = cv.getContext('2d', { willReadFrequently: true });
  var pv = root.querySelector('.dl-tile'), pctx = pv.getContext('2d');
  var bars = root.querySelectorAll('.dl-bar'), vals = root.querySelectorAll('.dl-val'), out = root.querySelector('.dl-digit');
  var state = { tile: null, probabilities: null, digit: null, updates: 0 };
  root.dlState = state;
  function clear() { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, cv.width, cv.height); pctx.fillStyle = '#000'; pctx.fillRect(0, 0, pv.width, pv.height); show(null); }
  function show(p) {
    for (var d = 0; d < 10; d++) { bars[d].style.width = p ? (100 * p[d]).toFixed(1) + '%' : '0%'; vals[d].textContent = p ? p[d].toFixed(3) : ''; }
    out.textContent = p ? String(state.digit) : '–';
    root.setAttribute('data-digit', p ? String(state.digit) : '');
  }
  function update() {
    var img = ctx.getImageData(0, 0, cv.width, cv.height), tile = dlTile(img.data, cv.width, cv.height);
    state.tile = tile ? Array.prototype.slice.call(tile) : null;
    var t = pctx.createImageData(28, 28);
    for (var i = 0; i < 784; i++) { var v = tile ? Math.round(255 * tile[i]) : 0; t.data[4 * i] = t.data[4 * i + 1] = t.data[4 * i + 2] = v; t.data[4 * i + 3] = 255; }
    pctx.putImageData(t, 0, 0);
    if (!tile) { state.probabilities = null; state.digit = null; show(null); return; }
    var p = dlForward(layers, { h: 28, w: 28, c: 1, data: tile });
    if (!spec.softmax) p = dlAct(Float32Array.from(p), 'softmax');
    p = Array.prototype.slice.call(p);
    state.probabilities = p; state.digit = p.indexOf(Math.max.apply(null, p)); state.updates++;
    show(p);
  }
  var drawing = false, last = null, pending = false;
  function pos(e) { var r = cv.getBoundingClientRect(); return { x: (e.clientX - r.left) * cv.width / r.width, y: (e.clientY - r.top) * cv.height / r.height }; }
  function schedule() { if (pending) return; pending = true; requestAnimationFrame(function () { pending = false; update(); }); }
  cv.addEventListener('pointerdown', function (e) { drawing = true; last = pos(e); try { cv.setPointerCapture(e.pointerId); } catch (err) {} stroke(last, e); e.preventDefault(); });
  cv.addEventListener('pointermove', function (e) { if (!drawing) return; var p = pos(e); stroke(p, e); e.preventDefault(); });
  function end() { if (drawing) { drawing = false; last = null; update(); } }
  cv.addEventListener('pointerup', end); cv.addEventListener('pointercancel', end); cv.addEventListener('pointerleave', end);
  function stroke(p, e) {
    var w = spec.brush * (e.pointerType === 'pen' && e.pressure > 0 ? 0.6 + 0.8 * e.pressure : 1);
    ctx.strokeStyle = '#000'; ctx.lineWidth = w; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x + 0.01, p.y); ctx.stroke(); last = p; schedule();
  }
  root.querySelector('.dl-clear').addEventListener('click', clear);
  clear();
}
`;
