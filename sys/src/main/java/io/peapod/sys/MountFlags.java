package io.peapod.sys;

/// mount(2) flags peapod uses, from `<sys/mount.h>`.
public final class MountFlags {
  public static final long RDONLY = 1L;
  public static final long NOSUID = 2L;
  public static final long NODEV = 4L;
  public static final long NOEXEC = 8L;
  public static final long REMOUNT = 32L;
  public static final long BIND = 4096L;
  public static final long REC = 16384L;
  public static final long PRIVATE = 1L << 18;
  public static final long SLAVE = 1L << 19;
  public static final long SHARED = 1L << 20;

  private MountFlags() {}
}
