//! `k8s.io.api.core.v1`: the Pod, its spec and status, and everything a container carries
//! (ports, env, resources, probes, lifecycle hooks, security contexts), scheduling constraints,
//! and the pod template the workload kinds embed. Field numbers as in upstream's
//! `core/v1/generated.proto`.

use super::core_volume::{VOLUME, VOLUME_DEVICE, VOLUME_MOUNT};
use super::meta::{LABEL_SELECTOR, OBJECT_META};
use crate::protobuf::schema::*;

messages! {
    POD = "k8s.io.api.core.v1.Pod" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&POD_SPEC),
        3 "status" msg(&POD_STATUS),
    }

    POD_TEMPLATE = "k8s.io.api.core.v1.PodTemplate" {
        1 "metadata" msg(&OBJECT_META),
        2 "template" msg(&POD_TEMPLATE_SPEC),
    }

    /// The template of every workload kind.
    POD_TEMPLATE_SPEC = "k8s.io.api.core.v1.PodTemplateSpec" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&POD_SPEC),
    }

    POD_SPEC = "k8s.io.api.core.v1.PodSpec" {
        1 "volumes" list(msg(&VOLUME)),
        20 "initContainers" list(msg(&CONTAINER)),
        2 "containers" list(msg(&CONTAINER)),
        34 "ephemeralContainers" list(msg(&EPHEMERAL_CONTAINER)),
        3 "restartPolicy" STRING,
        4 "terminationGracePeriodSeconds" INT64,
        5 "activeDeadlineSeconds" INT64,
        6 "dnsPolicy" STRING,
        7 "nodeSelector" STRING_MAP,
        8 "serviceAccountName" STRING,
        9 "serviceAccount" STRING,
        21 "automountServiceAccountToken" BOOL,
        10 "nodeName" STRING,
        11 "hostNetwork" BOOL,
        12 "hostPID" BOOL,
        13 "hostIPC" BOOL,
        27 "shareProcessNamespace" BOOL,
        14 "securityContext" msg(&POD_SECURITY_CONTEXT),
        15 "imagePullSecrets" list(msg(&LOCAL_OBJECT_REFERENCE)),
        16 "hostname" STRING,
        17 "subdomain" STRING,
        18 "affinity" msg(&AFFINITY),
        19 "schedulerName" STRING,
        22 "tolerations" list(msg(&TOLERATION)),
        23 "hostAliases" list(msg(&HOST_ALIAS)),
        24 "priorityClassName" STRING,
        25 "priority" INT32,
        26 "dnsConfig" msg(&POD_DNS_CONFIG),
        28 "readinessGates" list(msg(&POD_READINESS_GATE)),
        29 "runtimeClassName" STRING,
        30 "enableServiceLinks" BOOL,
        31 "preemptionPolicy" STRING,
        32 "overhead" QUANTITY_MAP,
        33 "topologySpreadConstraints" list(msg(&TOPOLOGY_SPREAD_CONSTRAINT)),
        35 "setHostnameAsFQDN" BOOL,
        36 "os" msg(&POD_OS),
        37 "hostUsers" BOOL,
        38 "schedulingGates" list(msg(&POD_SCHEDULING_GATE)),
        39 "resourceClaims" list(msg(&POD_RESOURCE_CLAIM)),
        40 "resources" msg(&RESOURCE_REQUIREMENTS),
        41 "hostnameOverride" STRING,
        42 "workloadRef" msg(&WORKLOAD_REFERENCE),
    }

    CONTAINER = "k8s.io.api.core.v1.Container" {
        1 "name" STRING,
        2 "image" STRING,
        3 "command" list(STRING),
        4 "args" list(STRING),
        5 "workingDir" STRING,
        6 "ports" list(msg(&CONTAINER_PORT)),
        19 "envFrom" list(msg(&ENV_FROM_SOURCE)),
        7 "env" list(msg(&ENV_VAR)),
        8 "resources" msg(&RESOURCE_REQUIREMENTS),
        23 "resizePolicy" list(msg(&CONTAINER_RESIZE_POLICY)),
        24 "restartPolicy" STRING,
        25 "restartPolicyRules" list(msg(&CONTAINER_RESTART_RULE)),
        9 "volumeMounts" list(msg(&VOLUME_MOUNT)),
        21 "volumeDevices" list(msg(&VOLUME_DEVICE)),
        10 "livenessProbe" msg(&PROBE),
        11 "readinessProbe" msg(&PROBE),
        22 "startupProbe" msg(&PROBE),
        12 "lifecycle" msg(&LIFECYCLE),
        13 "terminationMessagePath" STRING,
        20 "terminationMessagePolicy" STRING,
        14 "imagePullPolicy" STRING,
        15 "securityContext" msg(&SECURITY_CONTEXT),
        16 "stdin" BOOL,
        17 "stdinOnce" BOOL,
        18 "tty" BOOL,
    }

    EPHEMERAL_CONTAINER = "k8s.io.api.core.v1.EphemeralContainer" {
        1 "ephemeralContainerCommon" inline(&EPHEMERAL_CONTAINER_COMMON),
        2 "targetContainerName" STRING,
    }

    /// The fields an ephemeral container shares with `Container`, with the same numbers.
    EPHEMERAL_CONTAINER_COMMON = "k8s.io.api.core.v1.EphemeralContainerCommon" {
        1 "name" STRING,
        2 "image" STRING,
        3 "command" list(STRING),
        4 "args" list(STRING),
        5 "workingDir" STRING,
        6 "ports" list(msg(&CONTAINER_PORT)),
        19 "envFrom" list(msg(&ENV_FROM_SOURCE)),
        7 "env" list(msg(&ENV_VAR)),
        8 "resources" msg(&RESOURCE_REQUIREMENTS),
        23 "resizePolicy" list(msg(&CONTAINER_RESIZE_POLICY)),
        24 "restartPolicy" STRING,
        25 "restartPolicyRules" list(msg(&CONTAINER_RESTART_RULE)),
        9 "volumeMounts" list(msg(&VOLUME_MOUNT)),
        21 "volumeDevices" list(msg(&VOLUME_DEVICE)),
        10 "livenessProbe" msg(&PROBE),
        11 "readinessProbe" msg(&PROBE),
        22 "startupProbe" msg(&PROBE),
        12 "lifecycle" msg(&LIFECYCLE),
        13 "terminationMessagePath" STRING,
        20 "terminationMessagePolicy" STRING,
        14 "imagePullPolicy" STRING,
        15 "securityContext" msg(&SECURITY_CONTEXT),
        16 "stdin" BOOL,
        17 "stdinOnce" BOOL,
        18 "tty" BOOL,
    }

    CONTAINER_PORT = "k8s.io.api.core.v1.ContainerPort" {
        1 "name" STRING,
        2 "hostPort" INT32,
        3 "containerPort" INT32,
        4 "protocol" STRING,
        5 "hostIP" STRING,
    }

    ENV_VAR = "k8s.io.api.core.v1.EnvVar" {
        1 "name" STRING,
        2 "value" STRING,
        3 "valueFrom" msg(&ENV_VAR_SOURCE),
    }

    ENV_VAR_SOURCE = "k8s.io.api.core.v1.EnvVarSource" {
        1 "fieldRef" msg(&OBJECT_FIELD_SELECTOR),
        2 "resourceFieldRef" msg(&RESOURCE_FIELD_SELECTOR),
        3 "configMapKeyRef" msg(&CONFIG_MAP_KEY_SELECTOR),
        4 "secretKeyRef" msg(&SECRET_KEY_SELECTOR),
        5 "fileKeyRef" msg(&FILE_KEY_SELECTOR),
    }

    OBJECT_FIELD_SELECTOR = "k8s.io.api.core.v1.ObjectFieldSelector" {
        1 "apiVersion" STRING,
        2 "fieldPath" STRING,
    }

    RESOURCE_FIELD_SELECTOR = "k8s.io.api.core.v1.ResourceFieldSelector" {
        1 "containerName" STRING,
        2 "resource" STRING,
        3 "divisor" QUANTITY,
    }

    CONFIG_MAP_KEY_SELECTOR = "k8s.io.api.core.v1.ConfigMapKeySelector" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "key" STRING,
        3 "optional" BOOL,
    }

    SECRET_KEY_SELECTOR = "k8s.io.api.core.v1.SecretKeySelector" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "key" STRING,
        3 "optional" BOOL,
    }

    FILE_KEY_SELECTOR = "k8s.io.api.core.v1.FileKeySelector" {
        1 "volumeName" STRING,
        2 "path" STRING,
        3 "key" STRING,
        4 "optional" BOOL,
    }

    ENV_FROM_SOURCE = "k8s.io.api.core.v1.EnvFromSource" {
        1 "prefix" STRING,
        2 "configMapRef" msg(&CONFIG_MAP_ENV_SOURCE),
        3 "secretRef" msg(&SECRET_ENV_SOURCE),
    }

    CONFIG_MAP_ENV_SOURCE = "k8s.io.api.core.v1.ConfigMapEnvSource" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "optional" BOOL,
    }

    SECRET_ENV_SOURCE = "k8s.io.api.core.v1.SecretEnvSource" {
        1 "localObjectReference" inline(&LOCAL_OBJECT_REFERENCE),
        2 "optional" BOOL,
    }

    LOCAL_OBJECT_REFERENCE = "k8s.io.api.core.v1.LocalObjectReference" {
        1 "name" STRING,
    }

    RESOURCE_REQUIREMENTS = "k8s.io.api.core.v1.ResourceRequirements" {
        1 "limits" QUANTITY_MAP,
        2 "requests" QUANTITY_MAP,
        3 "claims" list(msg(&RESOURCE_CLAIM)),
    }

    RESOURCE_CLAIM = "k8s.io.api.core.v1.ResourceClaim" {
        1 "name" STRING,
        2 "request" STRING,
    }

    CONTAINER_RESIZE_POLICY = "k8s.io.api.core.v1.ContainerResizePolicy" {
        1 "resourceName" STRING,
        2 "restartPolicy" STRING,
    }

    CONTAINER_RESTART_RULE = "k8s.io.api.core.v1.ContainerRestartRule" {
        1 "action" STRING,
        2 "exitCodes" msg(&CONTAINER_RESTART_RULE_ON_EXIT_CODES),
    }

    CONTAINER_RESTART_RULE_ON_EXIT_CODES = "k8s.io.api.core.v1.ContainerRestartRuleOnExitCodes" {
        1 "operator" STRING,
        2 "values" list(INT32),
    }

    PROBE = "k8s.io.api.core.v1.Probe" {
        1 "handler" inline(&PROBE_HANDLER),
        2 "initialDelaySeconds" INT32,
        3 "timeoutSeconds" INT32,
        4 "periodSeconds" INT32,
        5 "successThreshold" INT32,
        6 "failureThreshold" INT32,
        7 "terminationGracePeriodSeconds" INT64,
    }

    PROBE_HANDLER = "k8s.io.api.core.v1.ProbeHandler" {
        1 "exec" msg(&EXEC_ACTION),
        2 "httpGet" msg(&HTTP_GET_ACTION),
        3 "tcpSocket" msg(&TCP_SOCKET_ACTION),
        4 "grpc" msg(&GRPC_ACTION),
    }

    EXEC_ACTION = "k8s.io.api.core.v1.ExecAction" {
        1 "command" list(STRING),
    }

    HTTP_GET_ACTION = "k8s.io.api.core.v1.HTTPGetAction" {
        1 "path" STRING,
        2 "port" INT_OR_STRING,
        3 "host" STRING,
        4 "scheme" STRING,
        5 "httpHeaders" list(msg(&HTTP_HEADER)),
    }

    HTTP_HEADER = "k8s.io.api.core.v1.HTTPHeader" {
        1 "name" STRING,
        2 "value" STRING,
    }

    TCP_SOCKET_ACTION = "k8s.io.api.core.v1.TCPSocketAction" {
        1 "port" INT_OR_STRING,
        2 "host" STRING,
    }

    GRPC_ACTION = "k8s.io.api.core.v1.GRPCAction" {
        1 "port" INT32,
        2 "service" STRING,
    }

    LIFECYCLE = "k8s.io.api.core.v1.Lifecycle" {
        1 "postStart" msg(&LIFECYCLE_HANDLER),
        2 "preStop" msg(&LIFECYCLE_HANDLER),
        3 "stopSignal" STRING,
    }

    LIFECYCLE_HANDLER = "k8s.io.api.core.v1.LifecycleHandler" {
        1 "exec" msg(&EXEC_ACTION),
        2 "httpGet" msg(&HTTP_GET_ACTION),
        3 "tcpSocket" msg(&TCP_SOCKET_ACTION),
        4 "sleep" msg(&SLEEP_ACTION),
    }

    SLEEP_ACTION = "k8s.io.api.core.v1.SleepAction" {
        1 "seconds" INT64,
    }

    SECURITY_CONTEXT = "k8s.io.api.core.v1.SecurityContext" {
        1 "capabilities" msg(&CAPABILITIES),
        2 "privileged" BOOL,
        3 "seLinuxOptions" msg(&SE_LINUX_OPTIONS),
        10 "windowsOptions" msg(&WINDOWS_SECURITY_CONTEXT_OPTIONS),
        4 "runAsUser" INT64,
        8 "runAsGroup" INT64,
        5 "runAsNonRoot" BOOL,
        6 "readOnlyRootFilesystem" BOOL,
        7 "allowPrivilegeEscalation" BOOL,
        9 "procMount" STRING,
        11 "seccompProfile" msg(&SECCOMP_PROFILE),
        12 "appArmorProfile" msg(&APP_ARMOR_PROFILE),
        13 "ulimits" list(msg(&ULIMIT)),
    }

    CAPABILITIES = "k8s.io.api.core.v1.Capabilities" {
        1 "add" list(STRING),
        2 "drop" list(STRING),
    }

    SE_LINUX_OPTIONS = "k8s.io.api.core.v1.SELinuxOptions" {
        1 "user" STRING,
        2 "role" STRING,
        3 "type" STRING,
        4 "level" STRING,
    }

    WINDOWS_SECURITY_CONTEXT_OPTIONS = "k8s.io.api.core.v1.WindowsSecurityContextOptions" {
        1 "gmsaCredentialSpecName" STRING,
        2 "gmsaCredentialSpec" STRING,
        3 "runAsUserName" STRING,
        4 "hostProcess" BOOL,
    }

    SECCOMP_PROFILE = "k8s.io.api.core.v1.SeccompProfile" {
        1 "type" STRING,
        2 "localhostProfile" STRING,
    }

    APP_ARMOR_PROFILE = "k8s.io.api.core.v1.AppArmorProfile" {
        1 "type" STRING,
        2 "localhostProfile" STRING,
    }

    ULIMIT = "k8s.io.api.core.v1.Ulimit" {
        1 "name" STRING,
        2 "hard" INT64,
        3 "soft" INT64,
    }

    POD_SECURITY_CONTEXT = "k8s.io.api.core.v1.PodSecurityContext" {
        1 "seLinuxOptions" msg(&SE_LINUX_OPTIONS),
        8 "windowsOptions" msg(&WINDOWS_SECURITY_CONTEXT_OPTIONS),
        2 "runAsUser" INT64,
        6 "runAsGroup" INT64,
        3 "runAsNonRoot" BOOL,
        4 "supplementalGroups" list(INT64),
        12 "supplementalGroupsPolicy" STRING,
        5 "fsGroup" INT64,
        7 "sysctls" list(msg(&SYSCTL)),
        9 "fsGroupChangePolicy" STRING,
        10 "seccompProfile" msg(&SECCOMP_PROFILE),
        11 "appArmorProfile" msg(&APP_ARMOR_PROFILE),
        13 "seLinuxChangePolicy" STRING,
    }

    SYSCTL = "k8s.io.api.core.v1.Sysctl" {
        1 "name" STRING,
        2 "value" STRING,
    }

    AFFINITY = "k8s.io.api.core.v1.Affinity" {
        1 "nodeAffinity" msg(&NODE_AFFINITY),
        2 "podAffinity" msg(&POD_AFFINITY),
        3 "podAntiAffinity" msg(&POD_ANTI_AFFINITY),
    }

    NODE_AFFINITY = "k8s.io.api.core.v1.NodeAffinity" {
        1 "requiredDuringSchedulingIgnoredDuringExecution" msg(&NODE_SELECTOR),
        2 "preferredDuringSchedulingIgnoredDuringExecution" list(msg(&PREFERRED_SCHEDULING_TERM)),
    }

    NODE_SELECTOR = "k8s.io.api.core.v1.NodeSelector" {
        1 "nodeSelectorTerms" list(msg(&NODE_SELECTOR_TERM)),
    }

    NODE_SELECTOR_TERM = "k8s.io.api.core.v1.NodeSelectorTerm" {
        1 "matchExpressions" list(msg(&NODE_SELECTOR_REQUIREMENT)),
        2 "matchFields" list(msg(&NODE_SELECTOR_REQUIREMENT)),
    }

    NODE_SELECTOR_REQUIREMENT = "k8s.io.api.core.v1.NodeSelectorRequirement" {
        1 "key" STRING,
        2 "operator" STRING,
        3 "values" list(STRING),
    }

    PREFERRED_SCHEDULING_TERM = "k8s.io.api.core.v1.PreferredSchedulingTerm" {
        1 "weight" INT32,
        2 "preference" msg(&NODE_SELECTOR_TERM),
    }

    POD_AFFINITY = "k8s.io.api.core.v1.PodAffinity" {
        1 "requiredDuringSchedulingIgnoredDuringExecution" list(msg(&POD_AFFINITY_TERM)),
        2 "preferredDuringSchedulingIgnoredDuringExecution" list(msg(&WEIGHTED_POD_AFFINITY_TERM)),
    }

    POD_ANTI_AFFINITY = "k8s.io.api.core.v1.PodAntiAffinity" {
        1 "requiredDuringSchedulingIgnoredDuringExecution" list(msg(&POD_AFFINITY_TERM)),
        2 "preferredDuringSchedulingIgnoredDuringExecution" list(msg(&WEIGHTED_POD_AFFINITY_TERM)),
    }

    POD_AFFINITY_TERM = "k8s.io.api.core.v1.PodAffinityTerm" {
        1 "labelSelector" msg(&LABEL_SELECTOR),
        2 "namespaces" list(STRING),
        3 "topologyKey" STRING,
        4 "namespaceSelector" msg(&LABEL_SELECTOR),
        5 "matchLabelKeys" list(STRING),
        6 "mismatchLabelKeys" list(STRING),
    }

    WEIGHTED_POD_AFFINITY_TERM = "k8s.io.api.core.v1.WeightedPodAffinityTerm" {
        1 "weight" INT32,
        2 "podAffinityTerm" msg(&POD_AFFINITY_TERM),
    }

    TOLERATION = "k8s.io.api.core.v1.Toleration" {
        1 "key" STRING,
        2 "operator" STRING,
        3 "value" STRING,
        4 "effect" STRING,
        5 "tolerationSeconds" INT64,
    }

    HOST_ALIAS = "k8s.io.api.core.v1.HostAlias" {
        1 "ip" STRING,
        2 "hostnames" list(STRING),
    }

    POD_DNS_CONFIG = "k8s.io.api.core.v1.PodDNSConfig" {
        1 "nameservers" list(STRING),
        2 "searches" list(STRING),
        3 "options" list(msg(&POD_DNS_CONFIG_OPTION)),
    }

    POD_DNS_CONFIG_OPTION = "k8s.io.api.core.v1.PodDNSConfigOption" {
        1 "name" STRING,
        2 "value" STRING,
    }

    POD_READINESS_GATE = "k8s.io.api.core.v1.PodReadinessGate" {
        1 "conditionType" STRING,
    }

    TOPOLOGY_SPREAD_CONSTRAINT = "k8s.io.api.core.v1.TopologySpreadConstraint" {
        1 "maxSkew" INT32,
        2 "topologyKey" STRING,
        3 "whenUnsatisfiable" STRING,
        4 "labelSelector" msg(&LABEL_SELECTOR),
        5 "minDomains" INT32,
        6 "nodeAffinityPolicy" STRING,
        7 "nodeTaintsPolicy" STRING,
        8 "matchLabelKeys" list(STRING),
    }

    POD_OS = "k8s.io.api.core.v1.PodOS" {
        1 "name" STRING,
    }

    POD_SCHEDULING_GATE = "k8s.io.api.core.v1.PodSchedulingGate" {
        1 "name" STRING,
    }

    POD_RESOURCE_CLAIM = "k8s.io.api.core.v1.PodResourceClaim" {
        1 "name" STRING,
        3 "resourceClaimName" STRING,
        4 "resourceClaimTemplateName" STRING,
    }

    WORKLOAD_REFERENCE = "k8s.io.api.core.v1.WorkloadReference" {
        1 "name" STRING,
        2 "podGroup" STRING,
        3 "podGroupReplicaKey" STRING,
    }

    POD_STATUS = "k8s.io.api.core.v1.PodStatus" {
        17 "observedGeneration" INT64,
        1 "phase" STRING,
        2 "conditions" list(msg(&POD_CONDITION)),
        3 "message" STRING,
        4 "reason" STRING,
        11 "nominatedNodeName" STRING,
        5 "hostIP" STRING,
        16 "hostIPs" list(msg(&HOST_IP)),
        6 "podIP" STRING,
        12 "podIPs" list(msg(&POD_IP)),
        7 "startTime" TIME,
        10 "initContainerStatuses" list(msg(&CONTAINER_STATUS)),
        8 "containerStatuses" list(msg(&CONTAINER_STATUS)),
        9 "qosClass" STRING,
        13 "ephemeralContainerStatuses" list(msg(&CONTAINER_STATUS)),
        14 "resize" STRING,
        15 "resourceClaimStatuses" list(msg(&POD_RESOURCE_CLAIM_STATUS)),
        18 "extendedResourceClaimStatus" msg(&POD_EXTENDED_RESOURCE_CLAIM_STATUS),
        19 "allocatedResources" QUANTITY_MAP,
        20 "resources" msg(&RESOURCE_REQUIREMENTS),
    }

    POD_CONDITION = "k8s.io.api.core.v1.PodCondition" {
        1 "type" STRING,
        7 "observedGeneration" INT64,
        2 "status" STRING,
        3 "lastProbeTime" TIME,
        4 "lastTransitionTime" TIME,
        5 "reason" STRING,
        6 "message" STRING,
    }

    HOST_IP = "k8s.io.api.core.v1.HostIP" {
        1 "ip" STRING,
    }

    POD_IP = "k8s.io.api.core.v1.PodIP" {
        1 "ip" STRING,
    }

    CONTAINER_STATUS = "k8s.io.api.core.v1.ContainerStatus" {
        1 "name" STRING,
        2 "state" msg(&CONTAINER_STATE),
        3 "lastState" msg(&CONTAINER_STATE),
        4 "ready" BOOL,
        5 "restartCount" INT32,
        6 "image" STRING,
        7 "imageID" STRING,
        8 "containerID" STRING,
        9 "started" BOOL,
        10 "allocatedResources" QUANTITY_MAP,
        11 "resources" msg(&RESOURCE_REQUIREMENTS),
        12 "volumeMounts" list(msg(&VOLUME_MOUNT_STATUS)),
        13 "user" msg(&CONTAINER_USER),
        14 "allocatedResourcesStatus" list(msg(&RESOURCE_STATUS)),
        15 "stopSignal" STRING,
    }

    CONTAINER_STATE = "k8s.io.api.core.v1.ContainerState" {
        1 "waiting" msg(&CONTAINER_STATE_WAITING),
        2 "running" msg(&CONTAINER_STATE_RUNNING),
        3 "terminated" msg(&CONTAINER_STATE_TERMINATED),
    }

    CONTAINER_STATE_WAITING = "k8s.io.api.core.v1.ContainerStateWaiting" {
        1 "reason" STRING,
        2 "message" STRING,
    }

    CONTAINER_STATE_RUNNING = "k8s.io.api.core.v1.ContainerStateRunning" {
        1 "startedAt" TIME,
    }

    CONTAINER_STATE_TERMINATED = "k8s.io.api.core.v1.ContainerStateTerminated" {
        1 "exitCode" INT32,
        2 "signal" INT32,
        3 "reason" STRING,
        4 "message" STRING,
        5 "startedAt" TIME,
        6 "finishedAt" TIME,
        7 "containerID" STRING,
    }

    CONTAINER_USER = "k8s.io.api.core.v1.ContainerUser" {
        1 "linux" msg(&LINUX_CONTAINER_USER),
    }

    LINUX_CONTAINER_USER = "k8s.io.api.core.v1.LinuxContainerUser" {
        1 "uid" INT64,
        2 "gid" INT64,
        3 "supplementalGroups" list(INT64),
    }

    RESOURCE_STATUS = "k8s.io.api.core.v1.ResourceStatus" {
        1 "name" STRING,
        2 "resources" list(msg(&RESOURCE_HEALTH)),
    }

    RESOURCE_HEALTH = "k8s.io.api.core.v1.ResourceHealth" {
        1 "resourceID" STRING,
        2 "health" STRING,
        6 "message" STRING,
    }

    VOLUME_MOUNT_STATUS = "k8s.io.api.core.v1.VolumeMountStatus" {
        1 "name" STRING,
        2 "mountPath" STRING,
        3 "readOnly" BOOL,
        4 "recursiveReadOnly" STRING,
        5 "volumeStatus" msg(&VOLUME_STATUS),
    }

    VOLUME_STATUS = "k8s.io.api.core.v1.VolumeStatus" {
        1 "image" msg(&IMAGE_VOLUME_STATUS),
    }

    IMAGE_VOLUME_STATUS = "k8s.io.api.core.v1.ImageVolumeStatus" {
        1 "imageRef" STRING,
    }

    POD_RESOURCE_CLAIM_STATUS = "k8s.io.api.core.v1.PodResourceClaimStatus" {
        1 "name" STRING,
        2 "resourceClaimName" STRING,
    }

    POD_EXTENDED_RESOURCE_CLAIM_STATUS = "k8s.io.api.core.v1.PodExtendedResourceClaimStatus" {
        1 "requestMappings" list(msg(&CONTAINER_EXTENDED_RESOURCE_REQUEST)),
        2 "resourceClaimName" STRING,
    }

    CONTAINER_EXTENDED_RESOURCE_REQUEST = "k8s.io.api.core.v1.ContainerExtendedResourceRequest" {
        1 "containerName" STRING,
        2 "resourceName" STRING,
        3 "requestName" STRING,
    }
}
