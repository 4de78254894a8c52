// The command that replays a trace, ready to paste into a shell: the path quoted when it
// holds anything but the characters a path needs no quoting for.
export function replayCommand(traceFile: string): string {
  const quoted = /^[A-Za-z0-9_./:@+=-]+$/.test(traceFile) ? traceFile : `'${traceFile.replaceAll("'", `'\\''`)}'`;
  return `npm run replay -- ${quoted}`;
}
