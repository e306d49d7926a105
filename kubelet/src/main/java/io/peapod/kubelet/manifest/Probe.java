package io.peapod.kubelet.manifest;

import java.util.Optional;

/// A liveness, readiness or startup probe with Kubernetes' defaults (period 10 s, timeout 1 s,
/// success 1, failure 3). `terminationGracePeriodSeconds` overrides the pod's when a failing liveness
/// or startup probe kills the container.
public record Probe(Handler handler, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
    int successThreshold, int failureThreshold, Optional<Long> terminationGracePeriodSeconds) {}
