/// Container lifecycle hooks ([io.peapod.kubelet.lifecycle.HookRunner]): postStart right after a
/// container starts (a failure kills it, `FailedPostStartHook`), preStop before SIGTERM within the grace
/// period.
package io.peapod.kubelet.lifecycle;
