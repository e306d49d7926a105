package io.peapod.base.api.v1;

import io.peapod.base.json.JsonNode;

/// A Job, Deployment, ReplicaSet, StatefulSet or DaemonSet as `get` returns it: the applied object's
/// `spec` (free-form) with identity filled in, and its controller's status.
public record Workload(String apiVersion, String kind, ObjectMeta metadata, JsonNode spec, WorkloadStatus status) {}
