package io.peapod.cli.client;

import io.peapod.base.error.UnavailableException;
import java.io.IOException;
import java.nio.file.Path;

/// The socket calls of `libpeapod-cli.so` (cli/src/main/c/unixsocket.c). Each read or write moves at
/// most 16 KiB; errors are [IOException]s with the system's message.
final class NativeSocket {
  static final String LIBRARY_PROPERTY = "peapod.cli.socket-library";
  static final int SHUT_WR = 1;
  static final int SHUT_RDWR = 2;

  private NativeSocket() {}

  /// Loads the library (again is a no-op); one the launcher names but that will not load is an error.
  static void load(Path library) {
    try {
      System.load(library.toAbsolutePath().toString());
    } catch (UnsatisfiedLinkError e) {
      throw new UnavailableException("cannot load the CLI's socket library " + library + " (" + e.getMessage()
          + "); rebuild peapod with scripts/build.sh", e);
    }
  }

  static native int connect(byte[] path) throws IOException;

  static native int read(int fd, byte[] b, int off, int len) throws IOException;

  static native int write(int fd, byte[] b, int off, int len) throws IOException;

  static native void shutdown(int fd, int how) throws IOException;

  static native void close(int fd);
}
