/** Connected components (8-connected) of a binary mask, with their boxes and areas. */

export interface Component {
  id: number;
  area: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Labelling {
  /** Per pixel: component id (1-based), 0 for background. */
  labels: Int32Array;
  components: Component[];
}

/** Label the non-zero pixels of `mask` (width `w`) with a flood fill on an explicit stack. */
export function labelComponents(mask: Uint8Array, w: number, h: number): Labelling {
  const labels = new Int32Array(w * h);
  const components: Component[] = [];
  const stack = new Int32Array(w * h);
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = components.length + 1;
    const c: Component = { id, area: 0, x0: w, y0: h, x1: -1, y1: -1 };
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const p = stack[--top];
      const x = p % w;
      const y = (p - x) / w;
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (mask[q] && !labels[q]) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    components.push(c);
  }
  return { labels, components };
}
