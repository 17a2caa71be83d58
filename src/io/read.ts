/** Reading files with errors that name the file and the reason (shared by the io and data loaders). */
import * as fs from 'fs';

/** The error for a file that cannot be read: its name and the system's reason (ENOENT, EACCES…). */
export function cannotRead(file: string, e: unknown): Error {
  return new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
}

/** A file's bytes, or an error naming the file and why it cannot be read. */
export function readBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw cannotRead(file, e);
  }
}

/** A file's JSON; errors name the file (unreadable, or not JSON: `invalidNote` is added then). */
export function readJson(file: string, invalidNote = ''): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})${invalidNote}`);
  }
}
