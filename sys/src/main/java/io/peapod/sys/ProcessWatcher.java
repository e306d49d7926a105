package io.peapod.sys;

/// Tells when processes end, through one pidfd per process and one epoll set for all of them, so
/// the daemon learns of a monitor's or a pause process's death without polling ([Syscalls#watchProcesses]).
public interface ProcessWatcher extends AutoCloseable {
  /// Reports the process's exit to the listener once. Returns false when no such process exists (it
  /// ended already); then nothing will be reported. The caller checks that the pid is still the
  /// process it means (pids are reused) after this returns true.
  boolean watch(int pid);

  /// Stops watching `pid`; no report follows.
  void unwatch(int pid);

  @Override
  void close();
}
