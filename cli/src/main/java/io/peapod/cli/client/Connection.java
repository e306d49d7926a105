package io.peapod.cli.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/// One connection to the daemon's API socket. Its streams may be used by two threads at once (one
/// reading, one writing); closing it ends a read or write under way in another thread.
public sealed interface Connection extends Closeable permits NioConnection, NativeConnection {
  InputStream in();

  OutputStream out();

  /// Ends what this side sends (the daemon reads end of input), leaving the answer readable.
  void shutdownOutput() throws IOException;

  /// How connections are made: through the JDK, or through `libpeapod-cli.so` when the launcher names it.
  @FunctionalInterface
  interface Connector {
    Connection connect(Path socket) throws IOException;

    Connector NIO = NioConnection::open;

    /// The launcher's choice: `-Dpeapod.cli.socket-library=PATH` (bin/peapod passes the library the
    /// build made) for the native calls, else the JDK's channels. A connection opened on a virtual thread
    /// (port-forward's connections, parallel deletes and waits) always uses the JDK's: a virtual thread
    /// blocked in a native read keeps its carrier, one of as few as the CPUs, and enough of them would
    /// leave none for the thread that should unblock them.
    static Connector forThisProcess() {
      String library = System.getProperty(NativeSocket.LIBRARY_PROPERTY);
      if (library == null) {
        return NIO;
      }
      NativeSocket.load(Path.of(library));
      return socket -> Thread.currentThread().isVirtual() ? NioConnection.open(socket)
          : NativeConnection.open(socket);
    }
  }
}
