/**
 * Atomic writes: a file (or a folder) is written under a temporary name next to its target,
 * flushed to disk, and only then renamed over the target. A failed or killed export leaves the
 * previous good file in place (at worst a stray `.name.tmp-…` beside it, removed on failure).
 *
 * Hand-written on purpose: `write-file-atomic` covers files but not folder swaps, and the few
 * lines here need only Node's fs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** A temporary name in the same folder as `target` (same filesystem, so rename is atomic). */
export function tempSibling(target: string, kind = 'tmp'): string {
  const dir = path.dirname(path.resolve(target));
  return path.join(dir, `.${path.basename(target)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tidy up after exports that were killed: temporaries of `target` left by processes that no
 * longer run are deleted, and if `target` itself is gone while a moved-aside previous copy
 * (`.old-`) survives, that copy is put back.
 */
export function recoverStale(target: string): void {
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const base = path.basename(abs).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${base}\\.(tmp|old)-(\\d+)-[0-9a-f]{8}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = re.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    const p = path.join(dir, name);
    if (m[1] === 'old' && !fs.existsSync(abs)) fs.renameSync(p, abs);
    else removeQuietly(p);
  }
}

/** fsync a folder so a rename inside it survives a crash (best effort: some filesystems refuse). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Folders cannot be fsynced on every platform/filesystem; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fsync one file by path. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Write all of `data` to an open descriptor, in chunks (large buffers, partial writes). */
export function writeAll(fd: number, data: Uint8Array): void {
  const CHUNK = 1 << 24;
  let off = 0;
  while (off < data.length) {
    off += fs.writeSync(fd, data, off, Math.min(CHUNK, data.length - off));
  }
}

export function removeQuietly(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // Cleanup after a failure must not hide the original error.
  }
}

/** How the content of an atomic file is produced: bytes, or a function that writes a file at a path. */
export type FileContent = Uint8Array | ((tmpPath: string) => void | Promise<void>);

/**
 * Write `file` atomically. `content` is either the bytes, or a function that creates the file at
 * the temporary path it is given (for writers such as HDF5 that want a path, not bytes).
 * The parent folder is created when missing.
 */
export async function writeFileAtomic(file: string, content: FileContent): Promise<void> {
  if (content instanceof Uint8Array) return writeFileAtomicSync(file, content);
  const target = path.resolve(file);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  recoverStale(target);
  const tmp = tempSibling(target);
  try {
    await content(tmp);
    if (!fs.existsSync(tmp)) throw new Error(`${file}: the writer did not create its temporary file`);
    fsyncFile(tmp);
    fs.renameSync(tmp, target);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  fsyncDir(dir);
}

/** Synchronous variant for byte content (what the async one does with bytes). */
export function writeFileAtomicSync(file: string, data: Uint8Array): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  recoverStale(target);
  const tmp = tempSibling(target);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o644);
    try {
      writeAll(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  fsyncDir(dir);
}

/**
 * Replace folder `dir` atomically as a whole: `fill` writes the new content into a fresh temporary
 * folder beside it; its files are fsynced, then the old folder is moved aside, the new one renamed
 * in, and the old one deleted. Linux cannot exchange two folders in one rename, so for an instant
 * between the two renames `dir` is absent; the previous content is then still complete at
 * `.<name>.old-…` beside it (never a half-written folder at `dir`).
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => void | Promise<void>): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  recoverStale(target);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
    throw new Error(`${dir}: exists and is not a folder (expected a folder to replace)`);
  }
  const tmp = tempSibling(target);
  fs.mkdirSync(tmp);
  try {
    await fill(tmp);
    for (const name of fs.readdirSync(tmp)) {
      const p = path.join(tmp, name);
      if (fs.statSync(p).isFile()) fsyncFile(p);
    }
    fsyncDir(tmp);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  let old: string | null = null;
  if (fs.existsSync(target)) {
    old = tempSibling(target, 'old');
    fs.renameSync(target, old);
  }
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    // Put the previous folder back before reporting.
    if (old) fs.renameSync(old, target);
    removeQuietly(tmp);
    throw e;
  }
  fsyncDir(parent);
  if (old) removeQuietly(old);
}
