package io.peapod.runtime.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/// A command started in a container by [RuntimeService#exec], or a container's own streams reached by
/// [RuntimeService#attach]. Without a terminal stdout and stderr are separate; on a terminal there is
/// one output stream. [#close] releases what the session held once its output has been read;
/// [#destroy] kills an exec'd command, and only detaches from an attached container.
public interface ExecProcess extends AutoCloseable {
  InputStream stdout();

  /// Empty on a terminal, where stderr goes to [#stdout].
  Optional<InputStream> stderr();

  OutputStream stdin();

  /// Blocks until the command exits; its exit code (126 or 127 when it could not be run).
  int waitFor() throws InterruptedException;

  void destroy();

  void resize(TerminalSize size);

  @Override
  void close();
}
