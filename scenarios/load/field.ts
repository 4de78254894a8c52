// A cursor over one field of a parsed YAML document, for decoding a scenario file: each
// accessor checks the value's shape and, when it is wrong, records a problem naming the
// file, the line and the field's path, so that one load reports every mistake at once.
import type { Problem } from './input-error.ts';
import type { PathSegment, YamlDocument } from './yaml-source.ts';

/** Go's time.ParseDuration units, which Kubernetes uses wherever it writes a duration. */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function pathText(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export class Field {
  constructor(
    private readonly doc: YamlDocument,
    private readonly file: string,
    private readonly problems: Problem[],
    readonly path: readonly PathSegment[],
    readonly value: unknown,
  ) {}

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  get line(): number {
    return this.doc.lineOf(this.path);
  }

  /** Records a problem with this field; returns undefined, for `return f.problem(...)`. */
  problem(reason: string): undefined {
    this.problems.push({ file: this.file, line: this.line, message: `${pathText(this.path) || '(top level)'}: ${reason}` });
    return undefined;
  }

  child(key: PathSegment): Field {
    const v = this.value as Record<PathSegment, unknown> | null | undefined;
    return new Field(this.doc, this.file, this.problems, [...this.path, key], typeof v === 'object' && v !== null ? v[key] : undefined);
  }

  /** A map whose keys must be among `allowed`; each unknown key is reported (with the keys that would do). */
  map(allowed?: readonly string[]): Field | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'object' || Array.isArray(this.value)) return this.problem(`must be a map, got ${describe(this.value)}`);
    if (allowed) {
      for (const key of Object.keys(this.value as object)) {
        if (!allowed.includes(key)) this.child(key).problem(`unknown field "${key}" (expected one of: ${allowed.join(', ')})`);
      }
    }
    return this;
  }

  /** The map's entries, each as a field. */
  entries(): [string, Field][] {
    return this.map() ? Object.keys(this.value as object).map((k) => [k, this.child(k)]) : [];
  }

  list(): Field[] {
    if (!this.present) return [];
    if (!Array.isArray(this.value)) return this.problem(`must be a list, got ${describe(this.value)}`) ?? [];
    return this.value.map((_, i) => this.child(i));
  }

  string(): string | undefined {
    if (!this.present) return undefined;
    if (typeof this.value === 'number') return String(this.value);
    if (typeof this.value !== 'string' || this.value === '') return this.problem(`must be a non-empty string, got ${describe(this.value)}`);
    return this.value;
  }

  /** This field, with a problem recorded if it is absent. */
  need(): Field {
    if (!this.present) this.problem('required');
    return this;
  }

  required<T>(read: (f: Field) => T | undefined): T | undefined {
    if (!this.present) return this.problem('required');
    return read(this);
  }

  integer(min = 0): number | undefined {
    if (!this.present) return undefined;
    if (!Number.isSafeInteger(this.value) || (this.value as number) < min) return this.problem(`must be an integer of at least ${min}, got ${describe(this.value)}`);
    return this.value as number;
  }

  boolean(): boolean | undefined {
    if (!this.present) return undefined;
    if (typeof this.value !== 'boolean') return this.problem(`must be true or false, got ${describe(this.value)}`);
    return this.value;
  }

  /** A Go duration ("30s", "1m30s", "500ms"), in milliseconds. */
  durationMs(): number | undefined {
    if (!this.present) return undefined;
    const text = typeof this.value === 'string' ? this.value : '';
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (text === '0') return 0;
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
      return this.problem(`must be a duration such as "30s", "1m30s" or "500ms", got ${describe(this.value)}`);
    }
    return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * DURATION_UNITS_MS[p[2]!]!, 0));
  }

  /** One of `choices`. */
  oneOf<T extends string>(choices: readonly T[]): T | undefined {
    const s = this.string();
    if (s === undefined) return undefined;
    if (!(choices as readonly string[]).includes(s)) return this.problem(`must be one of ${choices.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a map';
  return JSON.stringify(value);
}
