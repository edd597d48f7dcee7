//! `k8s.io.api.core.v1`: the core kinds other than Pod and the storage kinds: Namespace, Secret,
//! ConfigMap, Service, ServiceAccount, ResourceQuota, LimitRange, Endpoints, Event, Node,
//! ReplicationController, Binding and ComponentStatus.

use super::core_pod::{LOCAL_OBJECT_REFERENCE, POD_TEMPLATE_SPEC};
use super::meta::{CONDITION, OBJECT_META};
use crate::protobuf::schema::*;

messages! {
    NAMESPACE = "k8s.io.api.core.v1.Namespace" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&NAMESPACE_SPEC),
        3 "status" msg(&NAMESPACE_STATUS),
    }

    NAMESPACE_SPEC = "k8s.io.api.core.v1.NamespaceSpec" {
        1 "finalizers" list(STRING),
    }

    NAMESPACE_STATUS = "k8s.io.api.core.v1.NamespaceStatus" {
        1 "phase" STRING,
        2 "conditions" list(msg(&NAMESPACE_CONDITION)),
    }

    NAMESPACE_CONDITION = "k8s.io.api.core.v1.NamespaceCondition" {
        1 "type" STRING,
        2 "status" STRING,
        4 "lastTransitionTime" TIME,
        5 "reason" STRING,
        6 "message" STRING,
    }

    SECRET = "k8s.io.api.core.v1.Secret" {
        1 "metadata" msg(&OBJECT_META),
        5 "immutable" BOOL,
        2 "data" BYTES_MAP,
        4 "stringData" STRING_MAP,
        3 "type" STRING,
    }

    CONFIG_MAP = "k8s.io.api.core.v1.ConfigMap" {
        1 "metadata" msg(&OBJECT_META),
        4 "immutable" BOOL,
        2 "data" STRING_MAP,
        3 "binaryData" BYTES_MAP,
    }

    SERVICE = "k8s.io.api.core.v1.Service" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&SERVICE_SPEC),
        3 "status" msg(&SERVICE_STATUS),
    }

    SERVICE_SPEC = "k8s.io.api.core.v1.ServiceSpec" {
        1 "ports" list(msg(&SERVICE_PORT)),
        2 "selector" STRING_MAP,
        3 "clusterIP" STRING,
        18 "clusterIPs" list(STRING),
        4 "type" STRING,
        5 "externalIPs" list(STRING),
        7 "sessionAffinity" STRING,
        8 "loadBalancerIP" STRING,
        9 "loadBalancerSourceRanges" list(STRING),
        10 "externalName" STRING,
        11 "externalTrafficPolicy" STRING,
        12 "healthCheckNodePort" INT32,
        13 "publishNotReadyAddresses" BOOL,
        14 "sessionAffinityConfig" msg(&SESSION_AFFINITY_CONFIG),
        19 "ipFamilies" list(STRING),
        17 "ipFamilyPolicy" STRING,
        20 "allocateLoadBalancerNodePorts" BOOL,
        21 "loadBalancerClass" STRING,
        22 "internalTrafficPolicy" STRING,
        23 "trafficDistribution" STRING,
    }

    SERVICE_PORT = "k8s.io.api.core.v1.ServicePort" {
        1 "name" STRING,
        2 "protocol" STRING,
        6 "appProtocol" STRING,
        3 "port" INT32,
        4 "targetPort" INT_OR_STRING,
        5 "nodePort" INT32,
    }

    SESSION_AFFINITY_CONFIG = "k8s.io.api.core.v1.SessionAffinityConfig" {
        1 "clientIP" msg(&CLIENT_IP_CONFIG),
    }

    CLIENT_IP_CONFIG = "k8s.io.api.core.v1.ClientIPConfig" {
        1 "timeoutSeconds" INT32,
    }

    SERVICE_STATUS = "k8s.io.api.core.v1.ServiceStatus" {
        1 "loadBalancer" msg(&LOAD_BALANCER_STATUS),
        2 "conditions" list(msg(&CONDITION)),
    }

    LOAD_BALANCER_STATUS = "k8s.io.api.core.v1.LoadBalancerStatus" {
        1 "ingress" list(msg(&LOAD_BALANCER_INGRESS)),
    }

    LOAD_BALANCER_INGRESS = "k8s.io.api.core.v1.LoadBalancerIngress" {
        1 "ip" STRING,
        2 "hostname" STRING,
        3 "ipMode" STRING,
        4 "ports" list(msg(&PORT_STATUS)),
    }

    PORT_STATUS = "k8s.io.api.core.v1.PortStatus" {
        1 "port" INT32,
        2 "protocol" STRING,
        3 "error" STRING,
    }

    SERVICE_ACCOUNT = "k8s.io.api.core.v1.ServiceAccount" {
        1 "metadata" msg(&OBJECT_META),
        2 "secrets" list(msg(&OBJECT_REFERENCE)),
        3 "imagePullSecrets" list(msg(&LOCAL_OBJECT_REFERENCE)),
        4 "automountServiceAccountToken" BOOL,
    }

    OBJECT_REFERENCE = "k8s.io.api.core.v1.ObjectReference" {
        1 "kind" STRING,
        2 "namespace" STRING,
        3 "name" STRING,
        4 "uid" STRING,
        5 "apiVersion" STRING,
        6 "resourceVersion" STRING,
        7 "fieldPath" STRING,
    }

    RESOURCE_QUOTA = "k8s.io.api.core.v1.ResourceQuota" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&RESOURCE_QUOTA_SPEC),
        3 "status" msg(&RESOURCE_QUOTA_STATUS),
    }

    RESOURCE_QUOTA_SPEC = "k8s.io.api.core.v1.ResourceQuotaSpec" {
        1 "hard" QUANTITY_MAP,
        2 "scopes" list(STRING),
        3 "scopeSelector" msg(&SCOPE_SELECTOR),
    }

    SCOPE_SELECTOR = "k8s.io.api.core.v1.ScopeSelector" {
        1 "matchExpressions" list(msg(&SCOPED_RESOURCE_SELECTOR_REQUIREMENT)),
    }

    SCOPED_RESOURCE_SELECTOR_REQUIREMENT = "k8s.io.api.core.v1.ScopedResourceSelectorRequirement" {
        1 "scopeName" STRING,
        2 "operator" STRING,
        3 "values" list(STRING),
    }

    RESOURCE_QUOTA_STATUS = "k8s.io.api.core.v1.ResourceQuotaStatus" {
        1 "hard" QUANTITY_MAP,
        2 "used" QUANTITY_MAP,
    }

    LIMIT_RANGE = "k8s.io.api.core.v1.LimitRange" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&LIMIT_RANGE_SPEC),
    }

    LIMIT_RANGE_SPEC = "k8s.io.api.core.v1.LimitRangeSpec" {
        1 "limits" list(msg(&LIMIT_RANGE_ITEM)),
    }

    LIMIT_RANGE_ITEM = "k8s.io.api.core.v1.LimitRangeItem" {
        1 "type" STRING,
        2 "max" QUANTITY_MAP,
        3 "min" QUANTITY_MAP,
        4 "default" QUANTITY_MAP,
        5 "defaultRequest" QUANTITY_MAP,
        6 "maxLimitRequestRatio" QUANTITY_MAP,
    }

    ENDPOINTS = "k8s.io.api.core.v1.Endpoints" {
        1 "metadata" msg(&OBJECT_META),
        2 "subsets" list(msg(&ENDPOINT_SUBSET)),
    }

    ENDPOINT_SUBSET = "k8s.io.api.core.v1.EndpointSubset" {
        1 "addresses" list(msg(&ENDPOINT_ADDRESS)),
        2 "notReadyAddresses" list(msg(&ENDPOINT_ADDRESS)),
        3 "ports" list(msg(&ENDPOINT_PORT)),
    }

    ENDPOINT_ADDRESS = "k8s.io.api.core.v1.EndpointAddress" {
        1 "ip" STRING,
        3 "hostname" STRING,
        4 "nodeName" STRING,
        2 "targetRef" msg(&OBJECT_REFERENCE),
    }

    ENDPOINT_PORT = "k8s.io.api.core.v1.EndpointPort" {
        1 "name" STRING,
        2 "port" INT32,
        3 "protocol" STRING,
        4 "appProtocol" STRING,
    }

    EVENT = "k8s.io.api.core.v1.Event" {
        1 "metadata" msg(&OBJECT_META),
        2 "involvedObject" msg(&OBJECT_REFERENCE),
        3 "reason" STRING,
        4 "message" STRING,
        5 "source" msg(&EVENT_SOURCE),
        6 "firstTimestamp" TIME,
        7 "lastTimestamp" TIME,
        8 "count" INT32,
        9 "type" STRING,
        10 "eventTime" MICRO_TIME,
        11 "series" msg(&EVENT_SERIES),
        12 "action" STRING,
        13 "related" msg(&OBJECT_REFERENCE),
        14 "reportingComponent" STRING,
        15 "reportingInstance" STRING,
    }

    EVENT_SOURCE = "k8s.io.api.core.v1.EventSource" {
        1 "component" STRING,
        2 "host" STRING,
    }

    EVENT_SERIES = "k8s.io.api.core.v1.EventSeries" {
        1 "count" INT32,
        2 "lastObservedTime" MICRO_TIME,
    }

    NODE = "k8s.io.api.core.v1.Node" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&NODE_SPEC),
        3 "status" msg(&NODE_STATUS),
    }

    NODE_SPEC = "k8s.io.api.core.v1.NodeSpec" {
        1 "podCIDR" STRING,
        7 "podCIDRs" list(STRING),
        3 "providerID" STRING,
        4 "unschedulable" BOOL,
        5 "taints" list(msg(&TAINT)),
        6 "configSource" msg(&NODE_CONFIG_SOURCE),
        2 "externalID" STRING,
    }

    TAINT = "k8s.io.api.core.v1.Taint" {
        1 "key" STRING,
        2 "value" STRING,
        3 "effect" STRING,
        4 "timeAdded" TIME,
    }

    NODE_CONFIG_SOURCE = "k8s.io.api.core.v1.NodeConfigSource" {
        2 "configMap" msg(&CONFIG_MAP_NODE_CONFIG_SOURCE),
    }

    CONFIG_MAP_NODE_CONFIG_SOURCE = "k8s.io.api.core.v1.ConfigMapNodeConfigSource" {
        1 "namespace" STRING,
        2 "name" STRING,
        3 "uid" STRING,
        4 "resourceVersion" STRING,
        5 "kubeletConfigKey" STRING,
    }

    NODE_STATUS = "k8s.io.api.core.v1.NodeStatus" {
        1 "capacity" QUANTITY_MAP,
        2 "allocatable" QUANTITY_MAP,
        3 "phase" STRING,
        4 "conditions" list(msg(&NODE_CONDITION)),
        5 "addresses" list(msg(&NODE_ADDRESS)),
        6 "daemonEndpoints" msg(&NODE_DAEMON_ENDPOINTS),
        7 "nodeInfo" msg(&NODE_SYSTEM_INFO),
        8 "images" list(msg(&CONTAINER_IMAGE)),
        9 "volumesInUse" list(STRING),
        10 "volumesAttached" list(msg(&ATTACHED_VOLUME)),
        11 "config" msg(&NODE_CONFIG_STATUS),
        12 "runtimeHandlers" list(msg(&NODE_RUNTIME_HANDLER)),
        13 "features" msg(&NODE_FEATURES),
        14 "declaredFeatures" list(STRING),
    }

    NODE_CONDITION = "k8s.io.api.core.v1.NodeCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "lastHeartbeatTime" TIME,
        4 "lastTransitionTime" TIME,
        5 "reason" STRING,
        6 "message" STRING,
    }

    NODE_ADDRESS = "k8s.io.api.core.v1.NodeAddress" {
        1 "type" STRING,
        2 "address" STRING,
    }

    NODE_DAEMON_ENDPOINTS = "k8s.io.api.core.v1.NodeDaemonEndpoints" {
        1 "kubeletEndpoint" msg(&DAEMON_ENDPOINT),
    }

    /// Its one field is `Port` in JSON too, capital P.
    DAEMON_ENDPOINT = "k8s.io.api.core.v1.DaemonEndpoint" {
        1 "Port" INT32,
    }

    NODE_SYSTEM_INFO = "k8s.io.api.core.v1.NodeSystemInfo" {
        1 "machineID" STRING,
        2 "systemUUID" STRING,
        3 "bootID" STRING,
        4 "kernelVersion" STRING,
        5 "osImage" STRING,
        6 "containerRuntimeVersion" STRING,
        7 "kubeletVersion" STRING,
        8 "kubeProxyVersion" STRING,
        9 "operatingSystem" STRING,
        10 "architecture" STRING,
        11 "swap" msg(&NODE_SWAP_STATUS),
    }

    NODE_SWAP_STATUS = "k8s.io.api.core.v1.NodeSwapStatus" {
        1 "capacity" INT64,
    }

    CONTAINER_IMAGE = "k8s.io.api.core.v1.ContainerImage" {
        1 "names" list(STRING),
        2 "sizeBytes" INT64,
    }

    ATTACHED_VOLUME = "k8s.io.api.core.v1.AttachedVolume" {
        1 "name" STRING,
        2 "devicePath" STRING,
    }

    NODE_CONFIG_STATUS = "k8s.io.api.core.v1.NodeConfigStatus" {
        1 "assigned" msg(&NODE_CONFIG_SOURCE),
        2 "active" msg(&NODE_CONFIG_SOURCE),
        3 "lastKnownGood" msg(&NODE_CONFIG_SOURCE),
        4 "error" STRING,
    }

    NODE_RUNTIME_HANDLER = "k8s.io.api.core.v1.NodeRuntimeHandler" {
        1 "name" STRING,
        2 "features" msg(&NODE_RUNTIME_HANDLER_FEATURES),
    }

    NODE_RUNTIME_HANDLER_FEATURES = "k8s.io.api.core.v1.NodeRuntimeHandlerFeatures" {
        1 "recursiveReadOnlyMounts" BOOL,
        2 "userNamespaces" BOOL,
    }

    NODE_FEATURES = "k8s.io.api.core.v1.NodeFeatures" {
        1 "supplementalGroupsPolicy" BOOL,
        2 "containerUlimits" BOOL,
    }

    REPLICATION_CONTROLLER = "k8s.io.api.core.v1.ReplicationController" {
        1 "metadata" msg(&OBJECT_META),
        2 "spec" msg(&REPLICATION_CONTROLLER_SPEC),
        3 "status" msg(&REPLICATION_CONTROLLER_STATUS),
    }

    REPLICATION_CONTROLLER_SPEC = "k8s.io.api.core.v1.ReplicationControllerSpec" {
        1 "replicas" INT32,
        4 "minReadySeconds" INT32,
        2 "selector" STRING_MAP,
        3 "template" msg(&POD_TEMPLATE_SPEC),
    }

    REPLICATION_CONTROLLER_STATUS = "k8s.io.api.core.v1.ReplicationControllerStatus" {
        1 "replicas" INT32,
        2 "fullyLabeledReplicas" INT32,
        4 "readyReplicas" INT32,
        5 "availableReplicas" INT32,
        3 "observedGeneration" INT64,
        6 "conditions" list(msg(&REPLICATION_CONTROLLER_CONDITION)),
    }

    REPLICATION_CONTROLLER_CONDITION = "k8s.io.api.core.v1.ReplicationControllerCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "lastTransitionTime" TIME,
        4 "reason" STRING,
        5 "message" STRING,
    }

    BINDING = "k8s.io.api.core.v1.Binding" {
        1 "metadata" msg(&OBJECT_META),
        2 "target" msg(&OBJECT_REFERENCE),
    }

    COMPONENT_STATUS = "k8s.io.api.core.v1.ComponentStatus" {
        1 "metadata" msg(&OBJECT_META),
        2 "conditions" list(msg(&COMPONENT_CONDITION)),
    }

    COMPONENT_CONDITION = "k8s.io.api.core.v1.ComponentCondition" {
        1 "type" STRING,
        2 "status" STRING,
        3 "message" STRING,
        4 "error" STRING,
    }
}
