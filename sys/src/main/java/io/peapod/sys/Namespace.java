package io.peapod.sys;

/// Linux namespace types with their clone(2) flag and their name under `/proc/<pid>/ns/`.
public enum Namespace {
  MNT("mnt", 0x00020000),
  UTS("uts", 0x04000000),
  IPC("ipc", 0x08000000),
  USER("user", 0x10000000),
  PID("pid", 0x20000000),
  NET("net", 0x40000000),
  CGROUP("cgroup", 0x02000000),
  TIME("time", 0x00000080);

  private final String procName;
  private final int cloneFlag;

  Namespace(String procName, int cloneFlag) {
    this.procName = procName;
    this.cloneFlag = cloneFlag;
  }

  /// The file name under `/proc/<pid>/ns/` and the OCI runtime spec's namespace `type`
  /// (except [#MNT], which OCI calls `mount`).
  public String procName() {
    return procName;
  }

  public String ociType() {
    return this == MNT ? "mount" : this == NET ? "network" : procName;
  }

  public int cloneFlag() {
    return cloneFlag;
  }
}
