package io.peapod.sys;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The system calls the daemon makes itself. Each method throws a
/// [io.peapod.base.error.PeapodException] naming the call, the path and the errno on failure.
public interface Syscalls {

  /// The real implementation, bound to glibc.
  static Syscalls linux() {
    return new io.peapod.sys.internal.NativeSyscalls();
  }

  /// mount(2): `man 2 mount`. `flags` is a bitwise or of [MountFlags] constants.
  void mount(String source, Path target, String fsType, long flags, String data);

  /// umount2(2) with `MNT_DETACH` when `lazy` is set.
  void umount(Path target, boolean lazy);

  /// umount2(2) with `MNT_DETACH`; returns false, changing nothing, when `target` is not a mount point or
  /// does not exist (EINVAL, ENOENT), so undoing a mount is safe to repeat without reading mountinfo.
  boolean umountIfMounted(Path target);

  /// unshare(2) for the calling thread. Only [Namespace#NET] is unshared by the daemon, on a
  /// dedicated platform thread, because a namespace change sticks to the OS thread.
  void unshare(Namespace ns);

  /// setns(2): moves the calling thread into the namespace named by a `/proc/.../ns/*` or pin file.
  void setns(Path nsFile, Namespace ns);

  /// sethostname(2): names the calling thread's UTS namespace (a pooled sandbox's, entered with [#setns]).
  void sethostname(String name);

  /// Brings an interface of the calling thread's network namespace up (SIOCSIFFLAGS with IFF_UP).
  void linkUp(String ifName);

  /// mknod(2). `typeAndMode` carries the file type bits (`S_IFCHR` 0020000, `S_IFBLK` 0060000,
  /// `S_IFIFO` 0010000) and the permission bits; overlayfs whiteouts are character devices 0:0.
  void mknod(Path path, int typeAndMode, int major, int minor);

  /// lsetxattr(2): sets an extended attribute without following a symlink.
  void setXattr(Path path, String name, byte[] value);

  /// lgetxattr(2): an extended attribute's value, not following a symlink; empty when the file has no
  /// such attribute (ENODATA) or its file system keeps none (ENOTSUP). `trusted.*` attributes are seen
  /// only with CAP_SYS_ADMIN (the daemon runs as root); without it they read as absent.
  Optional<byte[]> getXattr(Path path, String name);

  /// syncfs(2) on the file system holding `path`: writes every file's dirty data there to disk, one
  /// call for a whole unpacked layer instead of an fsync(2) per file. Runs on a platform thread of
  /// its own, so a virtual caller does not pin its carrier for the seconds a disk may take.
  void syncfs(Path path);

  /// Starts a program with posix_spawn(3) in a new session, stdin from /dev/null, stdout and stderr
  /// appended to `outputFile`, and `inherited` pipes placed at the given descriptor numbers; every
  /// other descriptor is closed in the child.
  SpawnedProcess spawn(List<String> argv, Map<String, String> env, Path outputFile, List<Integer> inheritedFds);

  /// waitpid(2): blocks until the child exits and returns its exit status (128+signal if killed).
  int waitpid(int pid);

  /// kill(2). Returns false when the process does not exist (ESRCH).
  boolean kill(int pid, int signal);

  /// Starts a program on a new pseudo-terminal of the given size: posix_openpt(3), then posix_spawn
  /// in a new session whose stdin, stdout and stderr are the terminal's slave side (its controlling
  /// terminal). Returns the pid and the master side; the caller must [#waitpid] and [#close] them.
  SpawnedTerminal spawnOnTerminal(List<String> argv, Map<String, String> env, int rows, int columns);

  /// read(2): bytes read, 0 at end of file. A terminal master whose other side closed (EIO) is at its end.
  int read(int fd, byte[] buffer);

  /// write(2) of all `length` bytes.
  void write(int fd, byte[] buffer, int length);

  /// Sets a terminal's size (TIOCSWINSZ).
  void setWindowSize(int fd, int rows, int columns);

  void close(int fd);

  /// Connects a `SOCK_SEQPACKET` unix socket (conmon's attach socket); returns the descriptor, which
  /// [#read], [#write], [#shutdown] and [#close] take. A path longer than a socket address allows is
  /// reached through its directory's descriptor.
  int connectSeqPacket(Path socket);

  /// shutdown(2) of a socket's reading side, writing side or both; one whose peer is gone is no error.
  /// Unlike close, it wakes a thread blocked reading the socket.
  void shutdown(int fd, boolean reading, boolean writing);

  /// Opens an absolute path as an `O_PATH` handle (openat2(2) with `RESOLVE_NO_MAGICLINKS`): symlinks
  /// in the path are followed, as for a hostPath the node's administrator names, `/proc/*/fd` links are not.
  PathHandle openPath(Path path);

  /// Resolves `relative` inside the directory `dir` with openat2(2) and `RESOLVE_BENEATH |
  /// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS`: no symlink is followed and `..` cannot climb out,
  /// so what a container wrote into a volume cannot send the daemon elsewhere. A symlink or an escape
  /// is an [io.peapod.base.error.InvalidArgumentException]; a missing file a
  /// [io.peapod.base.error.NotFoundException].
  PathHandle openBeneath(PathHandle dir, String relative);

  /// mkdirat(2) of one path component in `dir`; an existing entry is a
  /// [io.peapod.base.error.FailedPreconditionException].
  void mkdirAt(PathHandle dir, String name, int mode);

  /// openat(2) with `O_CREAT | O_EXCL | O_NOFOLLOW` of one component in `dir`, closed at once: an empty
  /// regular file to bind-mount a file onto.
  void createFileAt(PathHandle dir, String name, int mode);

  /// umask(2) for the whole daemon; returns the previous mask.
  int umask(int mask);

  /// Starts a watcher (one platform thread blocked in epoll_wait(2)) that calls `onExit` with the
  /// pid of each watched process that ends.
  ProcessWatcher watchProcesses(java.util.function.IntConsumer onExit);
}
