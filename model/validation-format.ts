// The API server's checks of a string's format, each returning upstream's messages (empty
// when the value is valid), from k8s.io/apimachinery pkg/util/validation/validation.go (DNS
// names, port names and numbers, ConfigMap keys, environment variable names, whose length
// messages count "characters") and pkg/api/validate/content (label keys and values, which
// IsQualifiedName and IsValidLabelValue now are, whose length messages count "bytes").
// Lengths are Go's len(): bytes of UTF-8.

import type { NameFormat } from './resources.ts';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const DNS1123_LABEL = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = whole(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL = whole(DNS1035_LABEL_FMT);
const LABEL_KEY = whole(LABEL_KEY_FMT);
const LABEL_VALUE = whole(LABEL_VALUE_FMT);
const CONFIG_KEY = whole(CONFIG_KEY_FMT);

/** Go's len() of a string: its UTF-8 bytes. */
export function utf8Bytes(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) (bytes += 4, i++);
    else bytes += 3;
  }
  return bytes;
}

/** RegexError: the message, its examples and the regex. */
function regexError(message: string, fmt: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** MaxLenError: util/validation counts "characters", the content package "bytes". */
const maxLen = (max: number, unit: 'characters' | 'bytes') => `must be no more than ${max} ${unit}`;

const DNS1123_LABEL_TEXT = regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc');
const DNS1123_SUBDOMAIN_TEXT = regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com');
const DNS1035_LABEL_TEXT = regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123');

/** IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label. */
export function dnsNameErrors(format: NameFormat, value: string, unit: 'characters' | 'bytes' = 'characters'): string[] {
  const errors: string[] = [];
  const max = format === 'dns1123Subdomain' ? 253 : 63;
  if (utf8Bytes(value) > max) errors.push(maxLen(max, unit));
  switch (format) {
    case 'dns1123Label':
      // A valid subdomain that is not a label: since the length was checked, it must be the dots.
      if (!DNS1123_LABEL.test(value)) errors.push(DNS1123_SUBDOMAIN.test(value) ? 'must not contain dots' : DNS1123_LABEL_TEXT);
      break;
    case 'dns1123Subdomain': if (!DNS1123_SUBDOMAIN.test(value)) errors.push(DNS1123_SUBDOMAIN_TEXT); break;
    case 'dns1035Label': if (!DNS1035_LABEL.test(value)) errors.push(DNS1035_LABEL_TEXT); break;
  }
  return errors;
}

/**
 * apimachinery's NameIsDNSSubdomain and its kin (api/validation generic.go): a generateName is a
 * prefix, so a trailing dash is allowed (maskTrailingDash replaces the last two characters by "a").
 */
export function objectNameErrors(format: NameFormat, name: string, prefix: boolean): string[] {
  const masked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return dnsNameErrors(format, masked);
}

const LABEL_KEY_TEXT = regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc');

/** IsQualifiedName (content.IsLabelKey): an optional DNS subdomain prefix and '/', then a name of at most 63 bytes. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  const errors: string[] = [];
  if (parts.length > 2) return [`a valid label key ${LABEL_KEY_TEXT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errors.push('prefix part must be non-empty');
    else for (const e of dnsNameErrors('dns1123Subdomain', prefix, 'bytes')) errors.push(`prefix part ${e}`);
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (utf8Bytes(name) > 63) errors.push(`name part ${maxLen(63, 'bytes')}`);
  if (!LABEL_KEY.test(name)) errors.push(`name part ${LABEL_KEY_TEXT}`);
  return errors;
}

const LABEL_VALUE_TEXT = regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345');

/** IsValidLabelValue (content.IsLabelValue). */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (utf8Bytes(value) > 63) errors.push(maxLen(63, 'bytes'));
  if (!LABEL_VALUE.test(value)) errors.push(LABEL_VALUE_TEXT);
  return errors;
}

/** IsValidPortName: an IANA service name. */
export function portNameErrors(port: string): string[] {
  const errors: string[] = [];
  if (utf8Bytes(port) > 15) errors.push(maxLen(15, 'characters'));
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

/** IsValidPortNum. */
export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** IsConfigMapKey: a file name in a volume, so neither '.', '..' nor starting with '..'. */
export function configMapKeyErrors(key: string): string[] {
  const errors: string[] = [];
  if (utf8Bytes(key) > 253) errors.push(maxLen(253, 'characters'));
  if (!CONFIG_KEY.test(key)) errors.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (key === '.') errors.push("must not be '.'");
  else if (key === '..') errors.push("must not be '..'");
  else if (key.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/**
 * IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, GA and locked on since 1.34):
 * printable ASCII (the space included, as Go's unicode.IsPrint has it) but '='.
 */
export function envVarNameErrors(name: string): string[] {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}
