package io.peapod.image.unpack;

import io.peapod.sys.Namespace;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.SpawnedTerminal;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// A [Syscalls] that records device-node and xattr calls instead of making them, so unpacking is
/// tested without root. A recorded whiteout leaves an empty marker file where the device would be.
final class RecordingSyscalls implements Syscalls {
  final List<String> calls = new ArrayList<>();

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
  }

  @Override
  public void syncfs(Path path) {
    calls.add("syncfs " + path.getFileName());
  }

  @Override
  public void mount(String source, Path target, String fsType, long flags, String data) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void umount(Path target, boolean lazy) {
    throw new UnsupportedOperationException();
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
    throw new UnsupportedOperationException();
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
    throw new UnsupportedOperationException();
  }
}
