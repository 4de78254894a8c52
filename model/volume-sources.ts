// The volume sources of a pod and what kubeprop makes of each. Modelled: configMap, secret,
// projected (configMap, secret, downwardAPI and serviceAccountToken sources), downwardAPI,
// emptyDir, hostPath, and persistentVolumeClaim, whose claims never exist (the kind is
// refused at load until PersistentVolumeClaims are modelled), so the scheduler and the kubelet
// treat them as real components treat a missing claim. Behaving as a real cluster does: the
// in-tree plugins Kubernetes removed without a CSI migration, which the API server accepts with
// a warning (pkg/api/pod/warnings.go) and the kubelet has no plugin for. Every other source is
// not modelled and is refused at load.
import type { PodSpec, Volume } from 'kubernetes-types/core/v1.js';

/** The sources a modelled volume may have. */
const MODELLED = new Set(['configMap', 'secret', 'projected', 'downwardAPI', 'emptyDir', 'hostPath', 'persistentVolumeClaim']);
/** The projected sources kubeprop models. */
const MODELLED_PROJECTIONS = new Set(['configMap', 'secret', 'downwardAPI', 'serviceAccountToken']);

/**
 * In-tree volume plugins removed with no CSI migration, and the API server's warning for each
 * (pkg/api/pod/warnings.go, its field name as the warning spells it): accepted, scheduled, never
 * mounted. rbd is among them upstream, but the scheduler's VolumeRestrictions filter still
 * compares rbd images between pods of a node, which kubeprop does not model: it is refused.
 */
export const NON_FUNCTIONAL: Readonly<Record<string, { readonly field: string; readonly warning: string }>> = {
  photonPersistentDisk: { field: 'photonPersistentDisk', warning: 'deprecated in v1.11, non-functional in v1.16+' },
  scaleIO: { field: 'scaleIO', warning: 'deprecated in v1.16, non-functional in v1.22+' },
  flocker: { field: 'flocker', warning: 'deprecated in v1.22, non-functional in v1.25+' },
  storageos: { field: 'storageOS', warning: 'deprecated in v1.22, non-functional in v1.25+' },
  quobyte: { field: 'quobyte', warning: 'deprecated in v1.22, non-functional in v1.25+' },
  glusterfs: { field: 'glusterfs', warning: 'deprecated in v1.25, non-functional in v1.26+' },
  cephfs: { field: 'cephfs', warning: 'deprecated in v1.28, non-functional in v1.31+' },
};

/**
 * In-tree plugins whose volumes Kubernetes hands to a CSI driver (CSI migration,
 * csi-translation-lib): what happens then is the driver's and the attach/detach controller's
 * business, neither of which kubeprop models.
 */
const MIGRATED_TO_CSI: Readonly<Record<string, string>> = {
  awsElasticBlockStore: 'ebs.csi.aws.com',
  gcePersistentDisk: 'pd.csi.storage.gke.io',
  azureDisk: 'disk.csi.azure.com',
  azureFile: 'file.csi.azure.com',
  cinder: 'cinder.csi.openstack.org',
  vsphereVolume: 'csi.vsphere.vmware.com',
  portworxVolume: 'pxd.portworx.com',
};

/** The source the volume declares: its one field besides the name, or null when it has none. */
export function declaredSource(volume: Volume): string | null {
  return Object.keys(volume).find((key) => key !== 'name' && (volume as unknown as Record<string, unknown>)[key] != null) ?? null;
}

/** The volume's source: the one it declares, and for a volume that declares none an emptyDir (SetDefaults_Volume). */
export function sourceOf(volume: Volume): string {
  return declaredSource(volume) ?? 'emptyDir';
}

/** What kubeprop cannot represent about this volume, as a reason, with the path of its field inside the volume; null when it is modelled. */
export function unmodelledSource(volume: Volume): { readonly path: readonly (string | number)[]; readonly reason: string } | null {
  const source = sourceOf(volume);
  if (source in NON_FUNCTIONAL) return null;
  if (!MODELLED.has(source)) {
    const driver = MIGRATED_TO_CSI[source];
    const why = driver !== undefined ? `: Kubernetes hands it to the CSI driver ${driver} (CSI migration), and kubeprop models no CSI driver or volume attachment`
      : source === 'rbd' ? ': the scheduler compares rbd images between the pods of a node (VolumeRestrictions), which kubeprop does not model' : '';
    return { path: [source], reason: `volume type ${source} is not modelled by kubeprop${why}` };
  }
  const index = (volume.projected?.sources ?? []).findIndex((s) => Object.keys(s).some((key) => !MODELLED_PROJECTIONS.has(key)));
  if (index < 0) return null;
  const key = Object.keys(volume.projected!.sources![index]!).find((k) => !MODELLED_PROJECTIONS.has(k))!;
  return { path: ['projected', 'sources', index, key], reason: `projected source ${key} is not modelled by kubeprop` };
}

/**
 * The PersistentVolumeClaims the pod's volumes name, in the order of its volumes. kubeprop
 * stores no claims yet (the kind is refused at load), so each is one a component cannot find.
 */
export function claimNames(spec: PodSpec): string[] {
  return (spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

