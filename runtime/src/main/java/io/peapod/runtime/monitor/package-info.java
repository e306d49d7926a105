/// The programs that run containers: conmon (one per container; it owns stdio, the CRI log file and the
/// exit file, so containers outlive the daemon) and the OCI runtime it drives (runc, or crun where the
/// host's cgroup layout allows). Each binary is wrapped by one class that takes records and returns them.
package io.peapod.runtime.monitor;
