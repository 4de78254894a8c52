// Reading an input file (a scenario file, a manifest, a trace) within a bound, so that no
// file can make kubeprop wait or grow without end: only a regular file is read (a FIFO with
// no writer would block the open, /dev/zero never ends), it is opened without blocking and
// checked once open (so a path swapped for a FIFO after a check cannot block either), and
// at most `bytesMax` bytes are read, whatever size the file claims (a file that grows while
// it is read, or a /proc file that says it is empty, is cut there).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * The file's text, or why it cannot be read, in words that follow "cannot read: " or stand
 * alone; when it is too large, its size, if it said (a file that grows as it is read does not).
 */
export type ReadOutcome = { readonly text: string } | { readonly reason: string; readonly tooLarge?: { readonly bytes?: number } };

const CHUNK_BYTES = 1 << 16;

/** What an errno means to a person who gave the path. */
function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'is a directory, not a file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links (a symbolic link loop)';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    case 'ENAMETOOLONG': return 'the path is too long';
    default: return code ?? (e as Error).message;
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** `bytes` as a person reads a limit: "8 MiB" when it is a whole number of MiB. */
export function bytesText(bytes: number): string {
  return bytes > 0 && bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** Reads `file` as UTF-8 (as readFileSync does), refusing anything but a regular file of at most `bytesMax` bytes. */
export function readTextFile(file: string, bytesMax: number): ReadOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer (not on Windows, which has no FIFOs).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { reason: errnoReason(e) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { reason: 'is a directory, not a file' };
    if (!stat.isFile()) return { reason: `is ${kindOf(stat)}, not a regular file` };
    const reason = `is larger than the ${bytesText(bytesMax)} kubeprop reads`;
    if (stat.size > bytesMax) return { reason, tooLarge: { bytes: stat.size } };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, bytesMax + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > bytesMax) return { reason, tooLarge: {} };
    }
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return { reason: errnoReason(e) };
  } finally {
    closeSync(fd);
  }
}
