/// The programs that run containers and how the daemon hears of them: conmon (one per container; it
/// owns stdio, the CRI log file and the exit file, so containers outlive the daemon), the OCI runtime it
/// drives (runc, or crun where the host's cgroup layout allows), the exit files conmon writes
/// ([io.peapod.runtime.monitor.ExitWatcher], inotify) and the conmon processes themselves
/// ([io.peapod.runtime.monitor.MonitorWatcher], pidfd), so an exit or a lost monitor is noticed at once
/// without polling. Each binary is wrapped by one class that takes records and returns them.
package io.peapod.runtime.monitor;
