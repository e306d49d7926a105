package io.peapod.runtime.api;

/// A container's lifecycle, as CRI's ContainerState:
/// ```
///  CreateContainer      StartContainer          process exits /
///  ───────────────> CREATED ─────────────> RUNNING ──StopContainer──> EXITED ──RemoveContainer──> (gone)
///                      └───────────────── StopContainer / exit ────────────┘
/// ```
/// UNKNOWN is a container whose monitor vanished without an exit record (the node rebooted, say).
public enum ContainerState {
  CREATED,
  RUNNING,
  EXITED,
  UNKNOWN;

  public boolean canStart() {
    return this == CREATED;
  }

  public boolean canExec() {
    return this == RUNNING;
  }
}
