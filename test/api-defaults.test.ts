// The API server's defaults (pkg/apis/core/v1/defaults.go, zz_generated.defaults.go,
// pkg/apis/apps/v1/defaults.go) as the store applies them on create: the objects exactly as
// stored, and the issue that started this (requests default from limits, so a pod with only
// limits.cpu 500m does not fit a 400m node) through a whole run.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import type { KubeObject } from '../model/resources.ts';
import { PROPERTIES } from '../properties/index.ts';
import { podRow } from '../reports/pod-table.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import { deployment, pod, TestStore } from './helpers/store.ts';

const created = (resource: 'pods' | 'deployments' | 'services' | 'secrets', object: KubeObject) =>
  new TestStore().ok({ verb: 'create', resource, namespace: 'default', object });

/** What every pod template's container gets. */
const CONTAINER = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' };
/** What every pod template's spec gets. */
const POD_SPEC = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', securityContext: {} };
/** What a Pod gets beyond a template: SetDefaults_Pod and the DefaultTolerationSeconds admission. */
const POD_ONLY = {
  enableServiceLinks: true,
  tolerations: [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ],
};

describe('SetDefaults_Pod: requests from limits', () => {
  it('a container with only limits requests its limits; a request it gives stays; init containers alike', () => {
    const stored = created('pods', pod('p', {
      spec: {
        initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { limits: { cpu: '200m' } } }],
        containers: [
          { name: 'limits-only', image: 'nginx:1.25', resources: { limits: { cpu: '500m', memory: '128Mi' } } },
          { name: 'both', image: 'nginx:1.25', resources: { requests: { cpu: '100m' }, limits: { cpu: '500m', memory: '128Mi' } } },
          { name: 'neither', image: 'nginx:1.25' },
        ],
      },
    }));
    expect(stored.spec).toEqual({
      ...POD_SPEC, ...POD_ONLY,
      initContainers: [{ name: 'init', image: 'busybox:1.36', ...CONTAINER, resources: { limits: { cpu: '200m' }, requests: { cpu: '200m' } } }],
      containers: [
        { name: 'limits-only', image: 'nginx:1.25', ...CONTAINER, resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } } },
        { name: 'both', image: 'nginx:1.25', ...CONTAINER, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } } },
        { name: 'neither', image: 'nginx:1.25', ...CONTAINER },
      ],
    });
  });

  it('only a Pod: a Deployment\'s template keeps no requests and no enableServiceLinks (SetDefaults_PodSpec only)', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { limits: { cpu: '500m' } } }] } };
    const stored = created('deployments', deployment('web', { template }));
    expect((stored.spec as { template: unknown }).template).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: { ...POD_SPEC, containers: [{ name: 'app', image: 'nginx:1.25', ...CONTAINER, resources: { limits: { cpu: '500m' } } }] },
    });
  });

  it('under hostNetwork, a container port without a host port takes its container port as one', () => {
    const stored = created('pods', pod('p', {
      spec: { hostNetwork: true, containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }, { containerPort: 9090, hostPort: 9091 }] }] },
    }));
    expect((stored.spec as { containers: { ports: unknown }[] }).containers[0]!.ports).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' }, { containerPort: 9090, hostPort: 9091, protocol: 'TCP' },
    ]);
  });
});

describe('the defaults of volumes, probes, handlers and env', () => {
  it('stores each as the API server does', () => {
    const stored = created('pods', pod('p', {
      spec: {
        containers: [{
          name: 'app', image: 'nginx:latest',
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
          lifecycle: { preStop: { httpGet: { port: 80, path: '/drain' } } },
        }],
        volumes: [
          { name: 'scratch' },
          { name: 'config', configMap: { name: 'app' } },
          { name: 'creds', secret: { secretName: 'app', defaultMode: 0o400 } },
          { name: 'logs', hostPath: { path: '/var/log' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'all', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'app' } }] } },
          { name: 'legacy', scaleIO: { gateway: 'https://gw', system: 'sys', secretRef: { name: 'sio' } } },
        ],
      },
    }));
    expect(stored.spec).toEqual({
      ...POD_SPEC, ...POD_ONLY,
      containers: [{
        name: 'app', image: 'nginx:latest', ...CONTAINER, imagePullPolicy: 'Always',
        env: [{ name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
        livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        lifecycle: { preStop: { httpGet: { port: 80, path: '/drain', scheme: 'HTTP' } } },
      }],
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'config', configMap: { name: 'app', defaultMode: 420 } },
        { name: 'creds', secret: { secretName: 'app', defaultMode: 256 } },
        { name: 'logs', hostPath: { path: '/var/log', type: '' } },
        { name: 'info', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
        { name: 'all', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'app' } }] } },
        { name: 'legacy', scaleIO: { gateway: 'https://gw', system: 'sys', secretRef: { name: 'sio' }, storageMode: 'ThinProvisioned', fsType: 'xfs' } },
      ],
    });
  });
});

describe('SetDefaults_Service and SetDefaults_Secret', () => {
  const service = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });
  const specOf = (spec: Record<string, unknown>) => {
    const { clusterIP: _ip, clusterIPs: _ips, ipFamilies: _f, ipFamilyPolicy: _p, ...rest } = created('services', service(spec)).spec as Record<string, unknown>;
    return rest;
  };

  it('a ClusterIP Service: TCP ports targeting themselves, no affinity, Cluster internal traffic', () => {
    expect(specOf({ selector: { app: 'web' }, ports: [{ port: 80 }] })).toEqual({
      selector: { app: 'web' }, type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
  });

  it('a NodePort or LoadBalancer Service is externally accessible: Cluster external traffic; a LoadBalancer allocates node ports', () => {
    expect(specOf({ type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] })).toEqual({
      type: 'NodePort', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    });
    expect(specOf({ type: 'LoadBalancer', ports: [{ port: 443 }] })).toEqual({
      type: 'LoadBalancer', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true, ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
    });
  });

  it('ClientIP affinity gets its 3-hour timeout; an ExternalName Service gets no internal traffic policy', () => {
    expect(specOf({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })).toMatchObject({
      sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    });
    expect(specOf({ type: 'ExternalName', externalName: 'db.example.com' })).toEqual({
      type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None',
    });
  });

  it('a Secret\'s stringData is merged into data, base64-encoded, winning over a key in both, and is not stored', () => {
    const stored = created('secrets', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { user: 'YWRtaW4=', password: 'b2xk' }, stringData: { password: 'new', token: 'é' },
    });
    expect(stored.data).toEqual({ user: 'YWRtaW4=', password: 'bmV3', token: 'w6k=' });
    expect('stringData' in stored).toBe(false);
    expect(stored.type).toBe('Opaque');
  });

  it('a Secret of no type is Opaque', () => {
    expect(created('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: {} }).type).toBe('Opaque');
  });
});

describe('a pod with only limits, on a node that has less than them (issue 13)', () => {
  it('is Unschedulable with the scheduler\'s message; the pod that requests less of the same limits runs', () => {
    const { scenario } = loadScenarioFile(fileURLToPath(new URL('./scenario-files/limits-only.yaml', import.meta.url)));
    const result = run({ ...runConfig(scenario, undefined, PROPERTIES, false), stepsMax: 0 }, arrayChooser([]));
    const pods = [...(result.world.store.context.objects.pods?.values() ?? [])];
    expect(result.violation).toBeNull();
    expect(pods.map((p) => `${podRow(p, result.world.nowMs).name} ${podRow(p, result.world.nowMs).status}`).sort()).toEqual([
      'limits-only Pending', 'requests-given Running',
    ]);
    const limitsOnly = pods.find((p) => p.metadata.name === 'limits-only')!;
    expect((limitsOnly.status as { conditions: unknown[] }).conditions).toContainEqual({
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable',
      message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    });
  });
});
