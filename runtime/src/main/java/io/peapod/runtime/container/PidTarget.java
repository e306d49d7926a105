package io.peapod.runtime.container;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.state.RuntimeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// The container whose PID namespace a new one joins (an ephemeral container's target): its pid, and
/// its namespace's inode when the joining container's spec was written, checked again after create.
record PidTarget(String name, int pid, long inode) {
  /// The target must be running, in the same sandbox, and its pid still its own (the process there is in
  /// its cgroup).
  static PidTarget of(RuntimeStore store, SandboxStatus sandbox, String targetId, String name) {
    ContainerStatus t = store.requireContainer(targetId);
    if (!t.sandboxId().equals(sandbox.id()) || t.state() != ContainerState.RUNNING || t.pid() <= 0) {
      throw new FailedPreconditionException("container " + name + " is to share the process namespace of container "
          + t.name() + ", which is " + t.state() + (t.sandboxId().equals(sandbox.id()) ? "" : " in another pod")
          + "; it must be running in the same pod");
    }
    try {
      if (!Files.readString(Path.of("/proc/" + t.pid() + "/cgroup")).contains(targetId)) {
        throw new FailedPreconditionException("container " + t.name() + " has ended; container " + name
            + " cannot join its process namespace");
      }
      return new PidTarget(t.name(), t.pid(), inode(t.pid()));
    } catch (IOException e) {
      throw new FailedPreconditionException("container " + t.name() + " has ended; container " + name
          + " cannot join its process namespace", e);
    }
  }

  static long inode(int pid) throws IOException {
    return (Long) Files.getAttribute(Path.of("/proc/" + pid + "/ns/pid"), "unix:ino");
  }

  /// The new container's process must be in that very namespace: a pid reused meanwhile is refused.
  void joinedBy(int pid, String joiner) {
    try {
      if (inode(pid) == inode) {
        return;
      }
    } catch (IOException e) {
      throw new FailedPreconditionException("container " + joiner + " ended as it was made", e);
    }
    throw new FailedPreconditionException("container " + name + " ended while container " + joiner + " was made to"
        + " join its process namespace; it was not started");
  }
}
