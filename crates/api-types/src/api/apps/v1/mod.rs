//! `apps/v1`: Deployment, ReplicaSet and DaemonSet.
