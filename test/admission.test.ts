// The kubelet's admission: the scheduler's NodeResourcesFit over the pods the kubelet
// already admitted, with the first shortage as the reason the pod fails.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { admit, admitOS, admittedNodeInfo } from '../model/kubelet/admission.ts';
import type { KubeObject } from '../model/resources.ts';

const requesting = (cpu: string, memory: string): PodSpec => ({ containers: [{ name: 'main', resources: { requests: { cpu, memory } } }] });
const allocatable = { cpu: '2', memory: '4Gi', pods: '3' };

describe('kubelet admission', () => {
  it('admits a pod that fits beside the admitted ones', () => {
    expect(admit(requesting('500m', '1Gi'), admittedNodeInfo(allocatable, [requesting('1', '1Gi')]))).toEqual({ admitted: true });
  });

  it('rejects the first resource short, in millicores, as OutOfcpu', () => {
    expect(admit(requesting('1500m', '1Gi'), admittedNodeInfo(allocatable, [requesting('1', '1Gi')]))).toEqual({
      admitted: false, reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000",
    });
  });

  it('rejects memory in bytes as OutOfmemory', () => {
    expect(admit(requesting('100m', '3Gi'), admittedNodeInfo(allocatable, [requesting('100m', '2Gi')]))).toEqual({
      admitted: false, reason: 'OutOfmemory',
      message: "Pod was rejected: Node didn't have enough resource: memory, requested: 3221225472, used: 2147483648, capacity: 4294967296",
    });
  });

  it('checks the pod count first, even for a pod that requests nothing', () => {
    const full = admittedNodeInfo(allocatable, [requesting('0', '0'), requesting('0', '0'), requesting('0', '0')]);
    expect(admit({ containers: [{ name: 'main' }] }, full)).toEqual({
      admitted: false, reason: 'OutOfpods', message: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3",
    });
  });

  it('counts a sidecar beside the containers and the largest init container against the rest', () => {
    const withSidecar: PodSpec = {
      initContainers: [
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        { name: 'migrate', resources: { requests: { cpu: '1200m' } } },
      ],
      containers: [{ name: 'main', resources: { requests: { cpu: '1' } } }],
    };
    // max(main 1 + proxy 0.5, migrate 1.2 + proxy 0.5) = 1.7 cpu: it fits in 2, not beside 0.5 more.
    expect(admit(withSidecar, admittedNodeInfo(allocatable, []))).toEqual({ admitted: true });
    expect(admit(withSidecar, admittedNodeInfo(allocatable, [requesting('500m', '0')]))).toMatchObject({ admitted: false, reason: 'OutOfcpu' });
  });
});

describe('kubelet admission of host ports', () => {
  const withPort = (hostPort: number, hostIP?: string): PodSpec => ({
    containers: [{ name: 'main', ports: [{ containerPort: 80, hostPort, ...(hostIP ? { hostIP } : {}) }] }],
  });

  it('rejects a pod whose host port an admitted pod holds, as NodePorts', () => {
    const node = admittedNodeInfo(allocatable, []);
    expect(admit(withPort(8080), node, [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 }])).toEqual({
      admitted: false, reason: 'NodePorts', message: "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
    });
  });

  it('admits the same port on another host IP, or another port', () => {
    const node = admittedNodeInfo(allocatable, []);
    expect(admit(withPort(8080, '10.0.0.2'), node, [{ hostIP: '10.0.0.1', protocol: 'TCP', port: 8080 }])).toEqual({ admitted: true });
    expect(admit(withPort(8081), node, [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 }])).toEqual({ admitted: true });
  });
});

describe("kubelet admission: the pod's OS against the kubelet's (predicate.go, before any fit)", () => {
  const pod = (labels: Record<string, string>, os?: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels }, spec: { containers: [{ name: 'main' }], ...(os ? { os: { name: os } } : {}) },
  });

  it('admits a pod that says nothing of its OS, or says the kubelet\'s', () => {
    expect(admitOS(pod({}), 'linux')).toEqual({ admitted: true });
    expect(admitOS(pod({ 'kubernetes.io/os': 'linux' }, 'linux'), 'linux')).toEqual({ admitted: true });
  });

  it('rejects a pod whose own kubernetes.io/os label names another OS, before its spec.os is looked at', () => {
    expect(admitOS(pod({ 'kubernetes.io/os': 'windows' }, 'windows'), 'linux')).toEqual({
      admitted: false, reason: 'PodOSSelectorNodeLabelDoesNotMatch', message: "Pod was rejected: Failed to admit pod as the `kubernetes.io/os` label doesn't match node label",
    });
  });

  it('rejects a pod whose spec.os names another OS', () => {
    expect(admitOS(pod({}, 'windows'), 'linux')).toEqual({
      admitted: false, reason: 'PodOSNotSupported', message: "Pod was rejected: Failed to admit pod as the OS field doesn't match node OS",
    });
  });
});
