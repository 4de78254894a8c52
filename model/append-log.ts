// A persistent queue for the model's hot logs (store history, watch streams).
// Worlds are values, so an old world must still see the log it had; copying a
// 1,000-entry array on every write would dominate the step cost. Like a Go slice,
// a Log is a window [start, end) on a shared backing array: appending at the end
// of the backing array pushes in place (no earlier window can see past its own end),
// and only a branch that appends to an older window pays for a copy.

export interface Log<T> {
  readonly items: T[];
  readonly start: number;
  readonly end: number;
}

export function emptyLog<T>(): Log<T> {
  return { items: [], start: 0, end: 0 };
}

export function logSize<T>(log: Log<T>): number {
  return log.end - log.start;
}

export function logAt<T>(log: Log<T>, index: number): T {
  return log.items[log.start + index] as T;
}

export function logFirst<T>(log: Log<T>): T | undefined {
  return log.end > log.start ? (log.items[log.start] as T) : undefined;
}

export function logAppend<T>(log: Log<T>, item: T): Log<T> {
  if (log.items.length === log.end) {
    log.items.push(item);
    return { items: log.items, start: log.start, end: log.end + 1 };
  }
  const items = log.items.slice(log.start, log.end);
  items.push(item);
  return { items, start: 0, end: items.length };
}

/** The log without its first `count` entries; the backing array is re-packed once most of it is dead. */
export function logDropFront<T>(log: Log<T>, count: number): Log<T> {
  const start = Math.min(log.start + count, log.end);
  if (start > 1024 && start * 2 > log.items.length) {
    const items = log.items.slice(start, log.end);
    return { items, start: 0, end: items.length };
  }
  return { items: log.items, start, end: log.end };
}

export function logToArray<T>(log: Log<T>): T[] {
  return log.items.slice(log.start, log.end);
}
