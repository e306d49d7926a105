/// The programs that run containers and how the daemon hears of them: the pod monitor (peapod-podmon,
/// one per pod, for the pause and every container without stdin or terminal) and conmon (one per
/// interactive container) own stdio, the CRI log file and the exit file, so containers outlive the
/// daemon; the OCI runtime they drive (runc, or crun where the host's cgroup layout allows); the exit
/// files they write ([io.peapod.runtime.monitor.ExitWatcher], inotify) and the monitor processes
/// themselves ([io.peapod.runtime.monitor.MonitorWatcher], pidfd), so an exit or a lost monitor is
/// noticed at once without polling. Each binary is wrapped by one class that takes records and returns them.
package io.peapod.runtime.monitor;
