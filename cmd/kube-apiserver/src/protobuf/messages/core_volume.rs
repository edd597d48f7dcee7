//! `k8s.io.api.core.v1`: volumes (every `VolumeSource`, projections, mounts) and the two storage
//! kinds, PersistentVolume (with its `PersistentVolumeSource`) and PersistentVolumeClaim.

use super::core_objects::OBJECT_REFERENCE;
use super::core_pod::{
    LOCAL_OBJECT_REFERENCE, NODE_SELECTOR, OBJECT_FIELD_SELECTOR, RESOURCE_FIELD_SELECTOR,
};
use super::meta::{LABEL_SELECTOR, OBJECT_META};
use crate::protobuf::schema::*;

messages! {
    /// A pod's volume: its name and, inlined in JSON, its source.
    VOLUME = "k8s.io.api.core.v1.Volume" {
        1 "name" STRING,
        2 "volumeSource" inline(&VOLUME_SOURCE),
    }

    VOLUME_SOURCE = "k8s.io.api.core.v1.VolumeSource" {
        1 "hostPath" msg(&HOST_PATH_VOLUME_SOURCE),
        2 "emptyDir" msg(&EMPTY_DIR_VOLUME_SOURCE),
        3 "gcePersistentDisk" msg(&GCE_PERSISTENT_DISK_VOLUME_SOURCE),
        4 "awsElasticBlockStore" msg(&AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
        5 "gitRepo" msg(&GIT_REPO_VOLUME_SOURCE),
        6 "secret" msg(&SECRET_VOLUME_SOURCE),
        7 "nfs" msg(&NFS_VOLUME_SOURCE),
        8 "iscsi" msg(&ISCSI_VOLUME_SOURCE),
        9 "glusterfs" msg(&GLUSTERFS_VOLUME_SOURCE),
        10 "persistentVolumeClaim" msg(&PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE),
        11 "rbd" msg(&RBD_VOLUME_SOURCE),
        12 "flexVolume" msg(&FLEX_VOLUME_SOURCE),
        13 "cinder" msg(&CINDER_VOLUME_SOURCE),
        14 "cephfs" msg(&CEPH_FS_VOLUME_SOURCE),
        15 "flocker" msg(&FLOCKER_VOLUME_SOURCE),
        16 "downwardAPI" msg(&DOWNWARD_API_VOLUME_SOURCE),
        17 "fc" msg(&FC_VOLUME_SOURCE),
        18 "azureFile" msg(&AZURE_FILE_VOLUME_SOURCE),
        19 "configMap" msg(&CONFIG_MAP_VOLUME_SOURCE),
        20 "vsphereVolume" msg(&VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
        21 "quobyte" msg(&QUOBYTE_VOLUME_SOURCE),
        22 "azureDisk" msg(&AZURE_DISK_VOLUME_SOURCE),
        23 "photonPersistentDisk" msg(&PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
        26 "projected" msg(&PROJECTED_VOLUME_SOURCE),
        24 "portworxVolume" msg(&PORTWORX_VOLUME_SOURCE),
        25 "scaleIO" msg(&SCALE_IO_VOLUME_SOURCE),
        27 "storageos" msg(&STORAGE_OS_VOLUME_SOURCE),
        28 "csi" msg(&CSI_VOLUME_SOURCE),
        29 "ephemeral" msg(&EPHEMERAL_VOLUME_SOURCE),
        30 "image" msg(&IMAGE_VOLUME_SOURCE),
    }

    VOLUME_MOUNT = "k8s.io.api.core.v1.VolumeMount" {
        1 "name" STRING,
        2 "readOnly" BOOL,
        7 "recursiveReadOnly" STRING,
        3 "mountPath" STRING,
        4 "subPath" STRING,
        5 "mountPropagation" STRING,
        6 "subPathExpr" STRING,
    }

    VOLUME_DEVICE = "k8s.io.api.core.v1.VolumeDevice" {
        1 "name" STRING,
        2 "devicePath" STRING,
    }

    HOST_PATH_VOLUME_SOURCE = "k8s.io.api.core.v1.HostPathVolumeSource" {
        1 "path" STRING,
        2 "type" STRING,
    }

    EMPTY_DIR_VOLUME_SOURCE = "k8s.io.api.core.v1.EmptyDirVolumeSource" {
        1 "medium" STRING,
        2 "sizeLimit" QUANTITY,
    }

    GCE_PERSISTENT_DISK_VOLUME_SOURCE = "k8s.io.api.core.v1.GCEPersistentDiskVolumeSource" {
        1 "pdName" STRING,
        2 "fsType" STRING,
        3 "partition" INT32,
        4 "readOnly" BOOL,
    }

    AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE = "k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource" {
        1 "volumeID" STRING,
        2 "fsType" STRING,
        3 "partition" INT32,
        4 "readOnly" BOOL,
    }

    GIT_REPO_VOLUME_SOURCE = "k8s.io.api.core.v1.GitRepoVolumeSource" {
        1 "repository" STRING,
        2 "revision" STRING,
        3 "directory" STRING,
    }

    SECRET_VOLUME_SOURCE = "k8s.io.api.core.v1.SecretVolumeSource" {
        1 "secretName" STRING,
        2 "items" list(msg(&KEY_TO_PATH)),
        3 "defaultMode" INT32,
        4 "optional" BOOL,
    }

    KEY_TO_PATH = "k8s.io.api.core.v1.KeyToPath" {
        1 "key" STRING,
        2 "path" STRING,
        3 "mode" INT32,
    }

    NFS_VOLUME_SOURCE = "k8s.io.api.core.v1.NFSVolumeSource" {
        1 "server" STRING,
        2 "path" STRING,
        3 "readOnly" BOOL,
    }

    ISCSI_VOLUME_SOURCE = "k8s.io.api.core.v1.ISCSIVolumeSource" {
        1 "targetPortal" STRING,
        2 "iqn" STRING,
        3 "lun" INT32,
        4 "iscsiInterface" STRING,
        5 "fsType" STRING,
        6 "readOnly" BOOL,
        7 "portals" list(STRING),
        8 "chapAuthDiscovery" BOOL,
        11 "chapAuthSession" BOOL,
        10 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
        12 "initiatorName" STRING,
    }

    GLUSTERFS_VOLUME_SOURCE = "k8s.io.api.core.v1.GlusterfsVolumeSource" {
        1 "endpoints" STRING,
        2 "path" STRING,
        3 "readOnly" BOOL,
    }

    PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE = "k8s.io.api.core.v1.PersistentVolumeClaimVolumeSource" {
        1 "claimName" STRING,
        2 "readOnly" BOOL,
    }

    RBD_VOLUME_SOURCE = "k8s.io.api.core.v1.RBDVolumeSource" {
        1 "monitors" list(STRING),
        2 "image" STRING,
        3 "fsType" STRING,
        4 "pool" STRING,
        5 "user" STRING,
        6 "keyring" STRING,
        7 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
        8 "readOnly" BOOL,
    }

    FLEX_VOLUME_SOURCE = "k8s.io.api.core.v1.FlexVolumeSource" {
        1 "driver" STRING,
        2 "fsType" STRING,
        3 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
        4 "readOnly" BOOL,
        5 "options" STRING_MAP,
    }

    CINDER_VOLUME_SOURCE = "k8s.io.api.core.v1.CinderVolumeSource" {
        1 "volumeID" STRING,
        2 "fsType" STRING,
        3 "readOnly" BOOL,
        4 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
    }

    CEPH_FS_VOLUME_SOURCE = "k8s.io.api.core.v1.CephFSVolumeSource" {
        1 "monitors" list(STRING),
        2 "path" STRING,
        3 "user" STRING,
        4 "secretFile" STRING,
        5 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
        6 "readOnly" BOOL,
    }

    FLOCKER_VOLUME_SOURCE = "k8s.io.api.core.v1.FlockerVolumeSource" {
        1 "datasetName" STRING,
        2 "datasetUUID" STRING,
    }

    DOWNWARD_API_VOLUME_SOURCE = "k8s.io.api.core.v1.DownwardAPIVolumeSource" {
        1 "items" list(msg(&DOWNWARD_API_VOLUME_FILE)),
        2 "defaultMode" INT32,
    }

    DOWNWARD_API_VOLUME_FILE = "k8s.io.api.core.v1.DownwardAPIVolumeFile" {
        1 "path" STRING,
        2 "fieldRef" msg(&OBJECT_FIELD_SELECTOR),
        3 "resourceFieldRef" msg(&RESOURCE_FIELD_SELECTOR),
        4 "mode" INT32,
    }

    FC_VOLUME_SOURCE = "k8s.io.api.core.v1.FCVolumeSource" {
        1 "targetWWNs" list(STRING),
        2 "lun" INT32,
        3 "fsType" STRING,
        4 "readOnly" BOOL,
        5 "wwids" list(STRING),
    }

    AZURE_FILE_VOLUME_SOURCE = "k8s.io.api.core.v1.AzureFileVolumeSource" {
        1 "secretName" STRING,
        2 "shareName" STRING,
        3 "readOnly" BOOL,
    }

    CONFIG_MAP_VOLUME_SOURCE = "k8s.io.api.core.v1.ConfigMapVolumeSource" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "items" list(msg(&KEY_TO_PATH)),
        3 "defaultMode" INT32,
        4 "optional" BOOL,
    }

    VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE = "k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource" {
        1 "volumePath" STRING,
        2 "fsType" STRING,
        3 "storagePolicyName" STRING,
        4 "storagePolicyID" STRING,
    }

    QUOBYTE_VOLUME_SOURCE = "k8s.io.api.core.v1.QuobyteVolumeSource" {
        1 "registry" STRING,
        2 "volume" STRING,
        3 "readOnly" BOOL,
        4 "user" STRING,
        5 "group" STRING,
        6 "tenant" STRING,
    }

    AZURE_DISK_VOLUME_SOURCE = "k8s.io.api.core.v1.AzureDiskVolumeSource" {
        1 "diskName" STRING,
        2 "diskURI" STRING,
        3 "cachingMode" STRING,
        4 "fsType" STRING,
        5 "readOnly" BOOL,
        6 "kind" STRING,
    }

    PHOTON_PERSISTENT_DISK_VOLUME_SOURCE = "k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource" {
        1 "pdID" STRING,
        2 "fsType" STRING,
    }

    PROJECTED_VOLUME_SOURCE = "k8s.io.api.core.v1.ProjectedVolumeSource" {
        1 "sources" list(msg(&VOLUME_PROJECTION)),
        2 "defaultMode" INT32,
    }

    VOLUME_PROJECTION = "k8s.io.api.core.v1.VolumeProjection" {
        1 "secret" msg(&SECRET_PROJECTION),
        2 "downwardAPI" msg(&DOWNWARD_API_PROJECTION),
        3 "configMap" msg(&CONFIG_MAP_PROJECTION),
        4 "serviceAccountToken" msg(&SERVICE_ACCOUNT_TOKEN_PROJECTION),
        5 "clusterTrustBundle" msg(&CLUSTER_TRUST_BUNDLE_PROJECTION),
        6 "podCertificate" msg(&POD_CERTIFICATE_PROJECTION),
    }

    SECRET_PROJECTION = "k8s.io.api.core.v1.SecretProjection" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "items" list(msg(&KEY_TO_PATH)),
        4 "optional" BOOL,
    }

    DOWNWARD_API_PROJECTION = "k8s.io.api.core.v1.DownwardAPIProjection" {
        1 "items" list(msg(&DOWNWARD_API_VOLUME_FILE)),
    }

    CONFIG_MAP_PROJECTION = "k8s.io.api.core.v1.ConfigMapProjection" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "items" list(msg(&KEY_TO_PATH)),
        4 "optional" BOOL,
    }

    SERVICE_ACCOUNT_TOKEN_PROJECTION = "k8s.io.api.core.v1.ServiceAccountTokenProjection" {
        1 "audience" STRING,
        2 "expirationSeconds" INT64,
        3 "path" STRING,
    }

    CLUSTER_TRUST_BUNDLE_PROJECTION = "k8s.io.api.core.v1.ClusterTrustBundleProjection" {
        1 "name" STRING,
        2 "signerName" STRING,
        3 "labelSelector" msg(&LABEL_SELECTOR),
        5 "optional" BOOL,
        4 "path" STRING,
    }

    POD_CERTIFICATE_PROJECTION = "k8s.io.api.core.v1.PodCertificateProjection" {
        1 "signerName" STRING,
        2 "keyType" STRING,
        3 "maxExpirationSeconds" INT32,
        4 "credentialBundlePath" STRING,
        5 "keyPath" STRING,
        6 "certificateChainPath" STRING,
        7 "userAnnotations" STRING_MAP,
    }

    PORTWORX_VOLUME_SOURCE = "k8s.io.api.core.v1.PortworxVolumeSource" {
        1 "volumeID" STRING,
        2 "fsType" STRING,
        3 "readOnly" BOOL,
    }

    SCALE_IO_VOLUME_SOURCE = "k8s.io.api.core.v1.ScaleIOVolumeSource" {
        1 "gateway" STRING,
        2 "system" STRING,
        3 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
        4 "sslEnabled" BOOL,
        5 "protectionDomain" STRING,
        6 "storagePool" STRING,
        7 "storageMode" STRING,
        8 "volumeName" STRING,
        9 "fsType" STRING,
        10 "readOnly" BOOL,
    }

    STORAGE_OS_VOLUME_SOURCE = "k8s.io.api.core.v1.StorageOSVolumeSource" {
        1 "volumeName" STRING,
        2 "volumeNamespace" STRING,
        3 "fsType" STRING,
        4 "readOnly" BOOL,
        5 "secretRef" msg(&LOCAL_OBJECT_REFERENCE),
    }

    CSI_VOLUME_SOURCE = "k8s.io.api.core.v1.CSIVolumeSource" {
        1 "driver" STRING,
        2 "readOnly" BOOL,
        3 "fsType" STRING,
        4 "volumeAttributes" STRING_MAP,
        5 "nodePublishSecretRef" msg(&LOCAL_OBJECT_REFERENCE),
    }

    EPHEMERAL_VOLUME_SOURCE = "k8s.io.api.core.v1.EphemeralVolumeSource" {
        1 "volumeClaimTemplate" msg(&PERSISTENT_VOLUME_CLAIM_TEMPLATE),
    }

    IMAGE_VOLUME_SOURCE = "k8s.io.api.core.v1.ImageVolumeSource" {
        1 "reference" STRING,
        2 "pullPolicy" STRING,
    }

    PERSISTENT_VOLUME_CLAIM_TEMPLATE = "k8s.io.api.core.v1.PersistentVolumeClaimTemplate" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&PERSISTENT_VOLUME_CLAIM_SPEC),
    }

    PERSISTENT_VOLUME_CLAIM = "k8s.io.api.core.v1.PersistentVolumeClaim" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&PERSISTENT_VOLUME_CLAIM_SPEC),
        3 "status" msg(&PERSISTENT_VOLUME_CLAIM_STATUS),
    }

    PERSISTENT_VOLUME_CLAIM_SPEC = "k8s.io.api.core.v1.PersistentVolumeClaimSpec" {
        1 "accessModes" list(STRING),
        4 "selector" msg(&LABEL_SELECTOR),
        2 "resources" msg(&VOLUME_RESOURCE_REQUIREMENTS),
        3 "volumeName" STRING,
        5 "storageClassName" STRING,
        6 "volumeMode" STRING,
        7 "dataSource" msg(&TYPED_LOCAL_OBJECT_REFERENCE),
        8 "dataSourceRef" msg(&TYPED_OBJECT_REFERENCE),
        9 "volumeAttributesClassName" STRING,
    }

    VOLUME_RESOURCE_REQUIREMENTS = "k8s.io.api.core.v1.VolumeResourceRequirements" {
        1 "limits" QUANTITY_MAP,
        2 "requests" QUANTITY_MAP,
    }

    TYPED_LOCAL_OBJECT_REFERENCE = "k8s.io.api.core.v1.TypedLocalObjectReference" {
        1 "apiGroup" STRING,
        2 "kind" STRING,
        3 "name" STRING,
    }

    TYPED_OBJECT_REFERENCE = "k8s.io.api.core.v1.TypedObjectReference" {
        1 "apiGroup" STRING,
        2 "kind" STRING,
        3 "name" STRING,
        4 "namespace" STRING,
    }

    PERSISTENT_VOLUME_CLAIM_STATUS = "k8s.io.api.core.v1.PersistentVolumeClaimStatus" {
        1 "phase" STRING,
        2 "accessModes" list(STRING),
        3 "capacity" QUANTITY_MAP,
        4 "conditions" list(msg(&PERSISTENT_VOLUME_CLAIM_CONDITION)),
        5 "allocatedResources" QUANTITY_MAP,
        7 "allocatedResourceStatuses" STRING_MAP,
        8 "currentVolumeAttributesClassName" STRING,
        9 "modifyVolumeStatus" msg(&MODIFY_VOLUME_STATUS),
    }

    PERSISTENT_VOLUME_CLAIM_CONDITION = "k8s.io.api.core.v1.PersistentVolumeClaimCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "lastProbeTime" TIME,
        4 "lastTransitionTime" TIME,
        5 "reason" STRING,
        6 "message" STRING,
    }

    MODIFY_VOLUME_STATUS = "k8s.io.api.core.v1.ModifyVolumeStatus" {
        1 "targetVolumeAttributesClassName" STRING,
        2 "status" STRING,
    }

    PERSISTENT_VOLUME = "k8s.io.api.core.v1.PersistentVolume" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&PERSISTENT_VOLUME_SPEC),
        3 "status" msg(&PERSISTENT_VOLUME_STATUS),
    }

    PERSISTENT_VOLUME_SPEC = "k8s.io.api.core.v1.PersistentVolumeSpec" {
        1 "capacity" QUANTITY_MAP,
        2 "persistentVolumeSource" inline(&PERSISTENT_VOLUME_SOURCE),
        3 "accessModes" list(STRING),
        4 "claimRef" msg(&OBJECT_REFERENCE),
        5 "persistentVolumeReclaimPolicy" STRING,
        6 "storageClassName" STRING,
        7 "mountOptions" list(STRING),
        8 "volumeMode" STRING,
        9 "nodeAffinity" msg(&VOLUME_NODE_AFFINITY),
        10 "volumeAttributesClassName" STRING,
    }

    PERSISTENT_VOLUME_STATUS = "k8s.io.api.core.v1.PersistentVolumeStatus" {
        1 "phase" STRING,
        2 "message" STRING,
        3 "reason" STRING,
        4 "lastPhaseTransitionTime" TIME,
    }

    VOLUME_NODE_AFFINITY = "k8s.io.api.core.v1.VolumeNodeAffinity" {
        1 "required" msg(&NODE_SELECTOR),
    }

    /// The sources a PersistentVolume can have, inlined in its spec.
    PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.PersistentVolumeSource" {
        1 "gcePersistentDisk" msg(&GCE_PERSISTENT_DISK_VOLUME_SOURCE),
        2 "awsElasticBlockStore" msg(&AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
        3 "hostPath" msg(&HOST_PATH_VOLUME_SOURCE),
        4 "glusterfs" msg(&GLUSTERFS_PERSISTENT_VOLUME_SOURCE),
        5 "nfs" msg(&NFS_VOLUME_SOURCE),
        6 "rbd" msg(&RBD_PERSISTENT_VOLUME_SOURCE),
        7 "iscsi" msg(&ISCSI_PERSISTENT_VOLUME_SOURCE),
        8 "cinder" msg(&CINDER_PERSISTENT_VOLUME_SOURCE),
        9 "cephfs" msg(&CEPH_FS_PERSISTENT_VOLUME_SOURCE),
        10 "fc" msg(&FC_VOLUME_SOURCE),
        11 "flocker" msg(&FLOCKER_VOLUME_SOURCE),
        12 "flexVolume" msg(&FLEX_PERSISTENT_VOLUME_SOURCE),
        13 "azureFile" msg(&AZURE_FILE_PERSISTENT_VOLUME_SOURCE),
        14 "vsphereVolume" msg(&VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
        15 "quobyte" msg(&QUOBYTE_VOLUME_SOURCE),
        16 "azureDisk" msg(&AZURE_DISK_VOLUME_SOURCE),
        17 "photonPersistentDisk" msg(&PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
        18 "portworxVolume" msg(&PORTWORX_VOLUME_SOURCE),
        19 "scaleIO" msg(&SCALE_IO_PERSISTENT_VOLUME_SOURCE),
        20 "local" msg(&LOCAL_VOLUME_SOURCE),
        21 "storageos" msg(&STORAGE_OS_PERSISTENT_VOLUME_SOURCE),
        22 "csi" msg(&CSI_PERSISTENT_VOLUME_SOURCE),
    }

    SECRET_REFERENCE = "k8s.io.api.core.v1.SecretReference" {
        1 "name" STRING,
        2 "namespace" STRING,
    }

    GLUSTERFS_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.GlusterfsPersistentVolumeSource" {
        1 "endpoints" STRING,
        2 "path" STRING,
        3 "readOnly" BOOL,
        4 "endpointsNamespace" STRING,
    }

    RBD_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.RBDPersistentVolumeSource" {
        1 "monitors" list(STRING),
        2 "image" STRING,
        3 "fsType" STRING,
        4 "pool" STRING,
        5 "user" STRING,
        6 "keyring" STRING,
        7 "secretRef" msg(&SECRET_REFERENCE),
        8 "readOnly" BOOL,
    }

    ISCSI_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.ISCSIPersistentVolumeSource" {
        1 "targetPortal" STRING,
        2 "iqn" STRING,
        3 "lun" INT32,
        4 "iscsiInterface" STRING,
        5 "fsType" STRING,
        6 "readOnly" BOOL,
        7 "portals" list(STRING),
        8 "chapAuthDiscovery" BOOL,
        11 "chapAuthSession" BOOL,
        10 "secretRef" msg(&SECRET_REFERENCE),
        12 "initiatorName" STRING,
    }

    CINDER_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.CinderPersistentVolumeSource" {
        1 "volumeID" STRING,
        2 "fsType" STRING,
        3 "readOnly" BOOL,
        4 "secretRef" msg(&SECRET_REFERENCE),
    }

    CEPH_FS_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.CephFSPersistentVolumeSource" {
        1 "monitors" list(STRING),
        2 "path" STRING,
        3 "user" STRING,
        4 "secretFile" STRING,
        5 "secretRef" msg(&SECRET_REFERENCE),
        6 "readOnly" BOOL,
    }

    FLEX_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.FlexPersistentVolumeSource" {
        1 "driver" STRING,
        2 "fsType" STRING,
        3 "secretRef" msg(&SECRET_REFERENCE),
        4 "readOnly" BOOL,
        5 "options" STRING_MAP,
    }

    AZURE_FILE_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.AzureFilePersistentVolumeSource" {
        1 "secretName" STRING,
        2 "shareName" STRING,
        3 "readOnly" BOOL,
        4 "secretNamespace" STRING,
    }

    SCALE_IO_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.ScaleIOPersistentVolumeSource" {
        1 "gateway" STRING,
        2 "system" STRING,
        3 "secretRef" msg(&SECRET_REFERENCE),
        4 "sslEnabled" BOOL,
        5 "protectionDomain" STRING,
        6 "storagePool" STRING,
        7 "storageMode" STRING,
        8 "volumeName" STRING,
        9 "fsType" STRING,
        10 "readOnly" BOOL,
    }

    LOCAL_VOLUME_SOURCE = "k8s.io.api.core.v1.LocalVolumeSource" {
        1 "path" STRING,
        2 "fsType" STRING,
    }

    STORAGE_OS_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.StorageOSPersistentVolumeSource" {
        1 "volumeName" STRING,
        2 "volumeNamespace" STRING,
        3 "fsType" STRING,
        4 "readOnly" BOOL,
        5 "secretRef" msg(&OBJECT_REFERENCE),
    }

    CSI_PERSISTENT_VOLUME_SOURCE = "k8s.io.api.core.v1.CSIPersistentVolumeSource" {
        1 "driver" STRING,
        2 "volumeHandle" STRING,
        3 "readOnly" BOOL,
        4 "fsType" STRING,
        5 "volumeAttributes" STRING_MAP,
        6 "controllerPublishSecretRef" msg(&SECRET_REFERENCE),
        7 "nodeStageSecretRef" msg(&SECRET_REFERENCE),
        8 "nodePublishSecretRef" msg(&SECRET_REFERENCE),
        9 "controllerExpandSecretRef" msg(&SECRET_REFERENCE),
        10 "nodeExpandSecretRef" msg(&SECRET_REFERENCE),
    }
}
