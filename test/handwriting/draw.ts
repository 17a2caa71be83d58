/** Mouse strokes on the drawing pad's canvas, in fractions of its size (shared by the browser tests). */
import type { Locator, Page } from 'playwright-core';

export type Stroke = [number, number][];

export async function drawStrokes(page: Page, canvas: Locator, strokes: Stroke[]): Promise<void> {
  const box = (await canvas.boundingBox())!;
  for (const s of strokes) {
    await page.mouse.move(box.x + s[0][0] * box.width, box.y + s[0][1] * box.height);
    await page.mouse.down();
    for (const [x, y] of s.slice(1)) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 6 });
    await page.mouse.up();
  }
}
