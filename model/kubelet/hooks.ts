// Container lifecycle hooks as the kubelet's handler runner runs them (pkg/kubelet/lifecycle/
// handlers.go Run): an exec hook is a command run in the container (ExecSync, with no timeout),
// an httpGet hook a GET against the pod (only whether an answer came matters, not its status), a
// sleep hook a wait of its seconds. When an exec or httpGet hook returns, and whether it fails, is
// the process's behaviour (model/process.ts); the command of an exec hook dies with its container
// (SIGKILL, exit 137), and a dead container refuses an httpGet hook's connection. A sleep hook
// takes its seconds whatever the process does. tcpSocket handlers, which upstream fails at run
// time, are refused when a scenario file is loaded.
import type { Container, HTTPGetAction } from 'kubernetes-types/core/v1.js';
import type { HookName } from '../process.ts';
import type { RuntimeContainer } from '../runtime.ts';

export interface HookOutcome {
  /** When the hook returns. */
  readonly endsAtMs: number;
  /** The message Run returns with its error (a failed postStart's status message); null when it succeeds. */
  readonly failure: string | null;
}

/** The exit code of a failing exec hook's command (a process rule says only that it fails). */
const FAILING_COMMAND_EXIT_CODE = 1;
/** The exit code of a command killed with its container (SIGKILL). */
const KILLED_COMMAND_EXIT_CODE = 137;

/** format.Pod of the container's pod: name_namespace(uid). */
function formatPod(c: RuntimeContainer): string {
  const [namespace, name] = c.podKey.split('/');
  return `${name}_${namespace}(${c.podUid})`;
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The hook's target port (probe.ResolveContainerPort): a number, a container port's name, or the error Run fails with. */
function resolvePort(action: HTTPGetAction, spec: Container): number | { error: string } {
  if (typeof action.port === 'number') return action.port;
  const named = (spec.ports ?? []).find((p) => p.name === action.port);
  if (named) return named.containerPort;
  return /^[+-]?\d+$/.test(action.port) ? Number(action.port) : { error: `strconv.Atoi: parsing ${JSON.stringify(action.port)}: invalid syntax` };
}

/** Why runHTTPHandler's GET failed: its port could not be resolved, or the connection was refused. */
function httpGetError(action: HTTPGetAction, spec: Container, podIp: string): { error: string; always: boolean } {
  const port = resolvePort(action, spec);
  if (typeof port !== 'number') return { error: port.error, always: true };
  const hostPort = joinHostPort(action.host || podIp, port);
  const path = action.path ?? '/';
  const url = `${(action.scheme ?? 'HTTP').toLowerCase()}://${hostPort}${path === '' || path.startsWith('/') ? path : `/${path}`}`;
  return { error: `Get "${url}": dial tcp ${hostPort}: connect: connection refused`, always: false };
}

/**
 * The outcome of container instance `c`'s `hook`, begun at `startedAtMs`, or null if its spec has
 * no such hook. `podIp` is the address an httpGet hook without a host is sent to.
 */
export function hookOutcome(c: RuntimeContainer, hook: HookName, startedAtMs: number, podIp: string): HookOutcome | null {
  const { spec } = c;
  const handler = spec.lifecycle?.[hook];
  if (!handler) return null;
  if (handler.sleep) return { endsAtMs: startedAtMs + handler.sleep.seconds * 1000, failure: null };
  const where = `for Container ${JSON.stringify(spec.name)} in Pod ${JSON.stringify(formatPod(c))}`;
  const behaviour = c.behaviour.hooks?.[hook];
  const returnsAtMs = startedAtMs + (behaviour?.takesMs ?? 0);
  const diedAtMs = c.finishedAtMs !== null && c.finishedAtMs < returnsAtMs ? Math.max(c.finishedAtMs, startedAtMs) : null;
  const endsAtMs = diedAtMs ?? returnsAtMs;
  if (handler.exec) {
    if (diedAtMs === null && behaviour?.fails !== true) return { endsAtMs, failure: null };
    const command = (handler.exec.command ?? []).join(' ');
    const code = diedAtMs !== null ? KILLED_COMMAND_EXIT_CODE : FAILING_COMMAND_EXIT_CODE;
    return { endsAtMs, failure: `Exec lifecycle hook ([${command}]) ${where} failed - error: command '${command}' exited with ${code}: , message: ""` };
  }
  if (handler.httpGet) {
    const { error, always } = httpGetError(handler.httpGet, spec, podIp);
    if (always) return { endsAtMs: startedAtMs, failure: `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) ${where} failed - error: ${error}` };
    if (diedAtMs === null && behaviour?.fails !== true) return { endsAtMs, failure: null };
    return { endsAtMs, failure: `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) ${where} failed - error: ${error}` };
  }
  throw new Error(`container ${spec.name}: a ${hook} hook with no exec, httpGet or sleep action is not modelled (scenario files refuse it)`);
}
