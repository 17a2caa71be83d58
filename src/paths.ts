/** Where the project's folders are, from src/ or dist/ alike (notebooks run with notebooks/ as cwd). */
import * as fs from 'fs';
import * as path from 'path';

/** The project root (the folder of package.json). */
export function projectDir(): string {
  return path.resolve(__dirname, '..');
}

/** A path under the project's out/ folder, creating its parent folders. */
export function outPath(...parts: string[]): string {
  const p = path.join(projectDir(), 'out', ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}
