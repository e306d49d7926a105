package io.peapod.testing;

import io.peapod.sys.Namespace;
import io.peapod.sys.PathHandle;
import io.peapod.sys.ProcessWatcher;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.SpawnedTerminal;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/// A [Syscalls] for tests without root: mounts, device nodes and xattrs are recorded instead of made (a
/// recorded whiteout leaves an empty marker file where the device would be; a recorded xattr reads back);
/// path resolution, which needs no privilege, is the real one, so symlink and escape checks are tested on
/// a real file tree.
public final class RecordingSyscalls implements Syscalls {
  /// What was called, one line each (`mount bind /proc/self/fd/5 -> /tmp/x`, `mknod ...`).
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final Syscalls real = Syscalls.linux();
  private volatile FakeProcessWatcher processes;
  private final Map<String, byte[]> xattrs = new ConcurrentHashMap<>();

  @Override
  public void mknod(Path path, int typeAndMode, int major, int minor) {
    calls.add("mknod " + path.getFileName() + " " + Integer.toOctalString(typeAndMode) + " " + major + ":" + minor);
    try {
      Files.createFile(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) {
    calls.add("xattr " + path.getFileName() + " " + name + "=" + new String(value));
    xattrs.put(path.toAbsolutePath() + "\0" + name, value.clone());
  }

  /// What [#setXattr] set on the path.
  @Override
  public Optional<byte[]> getXattr(Path path, String name) {
    return Optional.ofNullable(xattrs.get(path.toAbsolutePath() + "\0" + name)).map(byte[]::clone);
  }

  @Override
  public void syncfs(Path path) {
    calls.add("syncfs " + path.getFileName());
  }

  @Override
  public void mount(String source, Path target, String fsType, long flags, String data) {
    calls.add("mount " + (fsType == null ? "bind" : fsType) + " " + source + " -> " + target);
  }

  @Override
  public void umount(Path target, boolean lazy) {
    calls.add("umount " + target);
  }

  @Override
  public boolean umountIfMounted(Path target) {
    calls.add("umount " + target);
    return true;
  }

  @Override
  public void unshare(Namespace ns) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setns(Path nsFile, Namespace ns) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sethostname(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void linkUp(String ifName) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SpawnedProcess spawn(List<String> argv, Map<String, String> env, Path outputFile, List<Integer> fds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int waitpid(int pid) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean kill(int pid, int signal) {
    calls.add("kill " + pid + " " + signal);
    return true;
  }

  @Override
  public SpawnedTerminal spawnOnTerminal(List<String> argv, Map<String, String> env, int rows, int columns) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int read(int fd, byte[] buffer) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void write(int fd, byte[] buffer, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setWindowSize(int fd, int rows, int columns) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close(int fd) {
    real.close(fd);
  }

  @Override
  public int connectSeqPacket(Path socket) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown(int fd, boolean reading, boolean writing) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PathHandle openPath(Path path) {
    return real.openPath(path);
  }

  @Override
  public PathHandle openBeneath(PathHandle dir, String relative) {
    return real.openBeneath(dir, relative);
  }

  @Override
  public void mkdirAt(PathHandle dir, String name, int mode) {
    real.mkdirAt(dir, name, mode);
  }

  @Override
  public void createFileAt(PathHandle dir, String name, int mode) {
    real.createFileAt(dir, name, mode);
  }

  @Override
  public int umask(int mask) {
    calls.add("umask " + Integer.toOctalString(mask));
    return 022;
  }

  @Override
  public ProcessWatcher watchProcesses(IntConsumer onExit) {
    processes = new FakeProcessWatcher(onExit);
    return processes;
  }

  /// The watcher last made by [#watchProcesses], whose pretend processes a test starts and ends.
  public FakeProcessWatcher processes() {
    return processes;
  }
}
