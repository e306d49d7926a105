package io.peapod.sys;

import java.io.InputStream;
import java.util.Map;

/// A child started by [Syscalls#spawn]: its pid and, per inherited descriptor number, the read end of
/// the pipe whose write end the child holds. The caller must [Syscalls#waitpid] it.
public record SpawnedProcess(int pid, Map<Integer, InputStream> pipes) {
  public SpawnedProcess {
    pipes = Map.copyOf(pipes);
  }
}
