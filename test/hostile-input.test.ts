// Hostile and broken input files, as a careful reviewer would try them (issue 14): files that
// are not files, that never end, that are too large, nested too deep, that alias themselves
// into billions of values or hold more objects than a scenario may create. Each must end at
// once with exit code 2 and one clear line naming the file (and the line, where one applies),
// never a stack trace, a hang or memory without bound. Run in-process, as the other
// bad-input tables are; the files are written to a temporary directory by the test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACE_BYTES_MAX } from '../reports/trace.ts';
import { InputError } from '../scenarios/load/input-error.ts';
import { OBJECTS_MAX, YAML_BYTES_MAX, YAML_NESTING_MAX } from '../scenarios/load/limits.ts';
import { loadManifestFile } from '../scenarios/load/manifest-file.ts';
import { parseYaml } from '../scenarios/load/yaml-source.ts';
import { cli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubeprop-hostile-'));
const NOTHING_RUN = (n: number) => `kubeprop: ${n === 1 ? 'the input has a problem' : `the input has ${n} problems`}; nothing was run\n`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A file of `bytes` that takes no room (a sparse file): its size alone is refused, before it is read. */
function sparse(name: string, bytes: number): string {
  const path = file(name, '');
  truncateSync(path, bytes);
  return path;
}

/** `mkfifo`, where the platform has it: a FIFO with no writer, which an open for reading would wait on forever. */
const fifo = (name: string): string | undefined => {
  const path = join(dir, name);
  return spawnSync('mkfifo', [path]).status === 0 ? path : undefined;
};
const fifoYaml = fifo('fifo.yaml');
const fifoJson = fifo('fifo.json');

/** A scenario file whose manifests are `manifests` (line 6 names them). */
function scenario(name: string, manifests: readonly string[], scenarioName = 'hostile'): string {
  return file(name, [
    `name: ${scenarioName}`,
    'cluster:',
    '  nodes:',
    '    - name: node-1',
    '      capacity: { cpu: "2", memory: 4Gi }',
    `manifests: [${manifests.map((m) => JSON.stringify(m)).join(', ')}]`,
    'goals: [podBecomesReady]',
    '',
  ].join('\n'));
}

const configMap = (name: string) => `{apiVersion: v1, kind: ConfigMap, metadata: {name: ${name}}}`;
/** A `kind: List` of `count` ConfigMaps named `prefix`0, `prefix`1, ...: item i is on line i + 4. */
const list = (count: number, prefix = 'c') => `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: count }, (_, i) => `- ${configMap(`${prefix}${i}`)}\n`).join('')}`;

mkdirSync(join(dir, 'a-directory.yaml'));
symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));

describe('manifest files that are not files, never end, or are too large', () => {
  const cases: [string, () => string | undefined, string][] = [
    ['/dev/zero, which never ends', () => '/dev/zero', 'cannot read: is a character device, not a regular file'],
    ['a FIFO with no writer, which would block', () => fifoYaml, 'cannot read: is a FIFO (named pipe), not a regular file'],
    ['a directory', () => join(dir, 'a-directory.yaml'), 'cannot read: is a directory, not a file'],
    ['a symbolic link loop', () => join(dir, 'loop-a.yaml'), 'cannot read: too many levels of symbolic links (a symbolic link loop)'],
    ['a file larger than the bound, refused by its size before it is read', () => sparse('huge.yaml', YAML_BYTES_MAX + 1), 'cannot read: is larger than the 8 MiB kubeprop reads'],
  ];
  for (const [what, make, reason] of cases) {
    it.skipIf(make() === undefined)(`${what}: its line in the scenario, and exit code 2`, async () => {
      const manifest = make()!;
      const path = scenario(`named-${what.replace(/\W+/g, '-')}.yaml`, [manifest]);
      expect(await cli('check', path, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: `${path}:6: manifests[0]: ${manifest}: ${reason}\n${NOTHING_RUN(1)}` });
    });
  }

  it.skipIf(process.getuid?.() === 0)('a file it may not read (skipped as root, who may read any file)', async () => {
    const secret = file('secret.yaml', `${configMap('a')}\n`);
    spawnSync('chmod', ['000', secret]);
    const path = scenario('unreadable.yaml', [secret]);
    expect(await cli('check', path, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: `${path}:6: manifests[0]: ${secret}: cannot read: permission denied\n${NOTHING_RUN(1)}` });
  });

  it('the scenario file itself as a FIFO', async () => {
    if (fifoYaml === undefined) return;
    expect(await cli('check', fifoYaml, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: `${fifoYaml}: cannot read: is a FIFO (named pipe), not a regular file\n${NOTHING_RUN(1)}` });
  });

  it('bytes count across the files of one scenario: a file named again and again is read within what is left', async () => {
    // A YAML comment of 5 MiB: no object, but 5 MiB read; the second reading finds only 3 MiB left.
    const big = file('five-mib.yaml', `#${'x'.repeat((5 << 20) - 2)}\n`);
    const path = scenario('twice.yaml', [big, big]);
    const left = YAML_BYTES_MAX - statSync(path).size - (5 << 20);
    expect(await cli('check', path, '--runs', '1')).toEqual({
      code: 2, stdout: '', stderr: [
        `${path}:6: manifests[0]: ${big}: no objects passed to create`,
        `${path}:6: manifests[1]: ${big}: cannot read: is larger than the ${left.toLocaleString('en-US')} bytes left of the 8 MiB of YAML kubeprop reads for one scenario`,
        NOTHING_RUN(2),
      ].join('\n'),
    });
  });
});

describe('YAML that would crash the parser or expand without bound', () => {
  const deepMap = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('') + 'z: 1\n';
  const anchor150 = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: reused}\ndata:\n  k0: &v hello\n${Array.from({ length: 150 }, (_, i) => `  k${i + 1}: *v\n`).join('')}`;
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
  const cases: [string, string, string][] = [
    ['"billion laughs": nine levels of nine aliases', laughs,
      '1: YAML aliases in this document stand for more than 100,000 values in all: kubeprop expands no more (a "billion laughs" document)'],
    ['an alias to no anchor', `${configMap('a')}\n---\nkind: *nowhere\n`, '3: YAML syntax error: Unresolved alias (the anchor must be set before the alias): nowhere (column 7)'],
    ['an alias inside its own anchor\'s value', 'a: &loop\n  b: *loop\n', '2: YAML syntax error: alias *loop is inside the value of its own anchor, which would contain itself (column 6)'],
    ['a 3,000-level block map followed by a less-indented key', deepMap, `${YAML_NESTING_MAX + 1}: YAML nested more than 128 levels deep: kubeprop reads no deeper (a Kubernetes object nests about ten)`],
    ['10,000 nested flow sequences', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, '1: YAML nested more than 128 levels deep: kubeprop reads no deeper (a Kubernetes object nests about ten)'],
    ['10,000 nested block sequences on one line', `${'- '.repeat(10_000)}x\n`, '1: YAML nested more than 128 levels deep: kubeprop reads no deeper (a Kubernetes object nests about ten)'],
    ['150,000 objects in one manifest', '--- {apiVersion: v1, kind: Secret}\n'.repeat(150_000), `${OBJECTS_MAX + 1}: more than 5,000 YAML documents: kubeprop reads no more from one file`],
    ['a List of 5,001 objects', list(OBJECTS_MAX + 1), `${OBJECTS_MAX + 4}: more than 5,000 objects in all: kubeprop creates no more for one scenario`],
    ['a map of 20,000 keys, the last a duplicate (found in linear time)', `${Array.from({ length: 20_000 }, (_, i) => `k${i}: v\n`).join('')}k0: again\n`, '20001: YAML syntax error: Map keys must be unique (column 1)'],
  ];
  for (const [what, text, problem] of cases) {
    it(`${what}: exit code 2 at its line`, async () => {
      const manifest = file(`${what.replace(/\W+/g, '-')}.yaml`, text);
      const path = scenario(`with-${what.replace(/\W+/g, '-')}.yaml`, [manifest]);
      expect(await cli('check', path, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: `${manifest}:${problem}\n${NOTHING_RUN(1)}` });
    });
  }

  it('an anchor used 150 times is no attack: kubectl reads it, and so does kubeprop', () => {
    const { objects } = loadManifestFile(file('anchor-150.yaml', anchor150));
    expect(Object.keys(objects[0]!.object.data as object)).toHaveLength(151);
    expect((objects[0]!.object.data as Record<string, string>).k150).toBe('hello');
  });

  it('a merge key is read as kubectl reads it (YAML 1.1, go-yaml), its alias counted like any other', () => {
    const merged = file('merge.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n  annotations: &base {a: "1", b: "2"}\ndata:\n  <<: *base\n  b: "3"\n');
    expect(loadManifestFile(merged).objects[0]!.object.data).toEqual({ a: '1', b: '3' });
  });

  it(`${YAML_NESTING_MAX} collections nested in one another are read; one more is refused`, () => {
    /** A map holding `n` - 1 flow sequences nested in one another: `n` collections. */
    const nested = (n: number) => `a: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`;
    expect(parseYaml(file('deepest.yaml', nested(YAML_NESTING_MAX))).documents).toHaveLength(1);
    const tooDeep = file('too-deep.yaml', nested(YAML_NESTING_MAX + 1));
    expect(() => parseYaml(tooDeep)).toThrow(new InputError([{ file: tooDeep, line: 1, message: 'YAML nested more than 128 levels deep: kubeprop reads no deeper (a Kubernetes object nests about ten)' }]));
  });

  it(`objects count across the files of one scenario: at most ${OBJECTS_MAX} in all`, async () => {
    const first = file('first-3000.yaml', list(3000, 'a'));
    const second = file('second-3000.yaml', list(3000, 'b'));
    const path = scenario('objects-in-all.yaml', [first, second]);
    expect(await cli('check', path, '--runs', '1')).toEqual({
      code: 2, stdout: '', stderr: `${second}:2004: more than 5,000 objects in all: kubeprop creates no more for one scenario\n${NOTHING_RUN(1)}`,
    });
  });
});

describe('trace files that are not files, never end, or are too large', () => {
  const cases: [string, () => string | undefined, string][] = [
    ['/dev/zero', () => '/dev/zero', 'cannot read: is a character device, not a regular file'],
    ['a FIFO with no writer', () => fifoJson, 'cannot read: is a FIFO (named pipe), not a regular file'],
    ['a directory', () => dir, 'cannot read: is a directory, not a file'],
    ['a symbolic link loop', () => join(dir, 'loop-a.yaml'), 'cannot read: too many levels of symbolic links (a symbolic link loop)'],
    ['a file larger than the bound', () => sparse('huge.json', TRACE_BYTES_MAX + 1), 'cannot read: is larger than the 256 MiB kubeprop reads'],
  ];
  for (const [what, make, reason] of cases) {
    for (const command of ['replay', 'report']) {
      it.skipIf(make() === undefined)(`${command} ${what}: one line and exit code 2`, async () => {
        const trace = make()!;
        expect(await cli(command, trace)).toEqual({ code: 2, stdout: '', stderr: `kubeprop: ${trace}: ${reason}\n` });
      });
    }
  }
});

describe('input the API server would refuse, refused at load at its own line', () => {
  const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const LABEL_KEY_NAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const longName = `node-${'n'.repeat(60)}`;
  const nodes = file('nodes.yaml', [
    'name: bad-nodes',
    'cluster:',
    '  nodes:',
    '    - name: Node_1',
    '      capacity: { cpu: "2", memory: 4Gi }',
    '      labels:',
    '        app: "<script>"',
    '        "bad key": x',
    '      taints:',
    '        - { key: dedicated, value: db, effect: NoSchedule }',
    '        - { key: dedicated, value: "a b", effect: NoSchedule }',
    `    - name: ${longName}`,
    '      capacity: { cpu: "2", memory: 4Gi }',
    '      kubelet: false',
    `manifests: [${JSON.stringify(file('web-pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx}]\n'))}]`,
    'goals: [podBecomesReady]',
    '',
  ].join('\n'));

  it("a scenario's nodes: a name, labels and taints the API server refuses, each at its line, in the API server's words", async () => {
    expect(await cli('check', nodes, '--runs', '1')).toEqual({
      code: 2, stdout: '', stderr: [
        `${nodes}:4: cluster.nodes[0].name: Node "Node_1" is invalid: metadata.name: Invalid value: "Node_1": ${SUBDOMAIN}`,
        `${nodes}:7: cluster.nodes[0].labels.app: Node "Node_1" is invalid: metadata.labels: Invalid value: "<script>": ${LABEL_VALUE}`,
        `${nodes}:8: cluster.nodes[0].labels.bad key: Node "Node_1" is invalid: metadata.labels: Invalid value: "bad key": ${LABEL_KEY_NAME}`,
        `${nodes}:11: cluster.nodes[0].taints[1].value: Node "Node_1" is invalid: metadata.taints[1].value: Invalid value: "a b": ${LABEL_VALUE}`,
        `${nodes}:11: cluster.nodes[0].taints[1]: Node "Node_1" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"a b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair`,
        `${nodes}:12: cluster.nodes[1].name: Node "${longName}" is invalid: metadata.labels: Invalid value: "${longName}": must be no more than 63 bytes (the kubelet labels its node kubernetes.io/hostname: <name>)`,
        NOTHING_RUN(6),
      ].join('\n'),
    });
  });

  it('a manifest ConfigMap over 1 MiB, at its line; a bad key, at the line of the key', async () => {
    const big = file('big-configmap.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: ${'x'.repeat(1 << 20)}\n  b: y\n`);
    const key = file('bad-key.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n  good: x\n  "a b": y\n');
    const path = scenario('configmaps.yaml', [big, key]);
    expect(await cli('check', path, '--runs', '1')).toEqual({
      code: 2, stdout: '', stderr: [
        `${big}:1: The ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes`,
        `${key}:6: The ConfigMap "keys" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        NOTHING_RUN(2),
      ].join('\n'),
    });
  });

  it("a scenario's name longer than 63 characters, which its traces' file names carry", async () => {
    const path = scenario('long-name.yaml', [file('web.yaml', `${configMap('web')}\n`)], 's'.repeat(64));
    expect(await cli('check', path, '--runs', '1')).toEqual({ code: 2, stdout: '', stderr: `${path}:1: name: must be no more than 63 characters\n${NOTHING_RUN(1)}` });
  });
});
