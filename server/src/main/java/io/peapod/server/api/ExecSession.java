package io.peapod.server.api;

import io.peapod.base.api.StreamFrames;
import io.peapod.runtime.api.ExecProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/// Bridges an exec'd command (or an attached container) and an upgraded API connection in [StreamFrames]: client STDIN frames to
/// the command's input, its output (and stderr, without a terminal) back as frames, then one EXIT
/// frame. Pumps run on platform threads: a terminal is read with a blocking native call.
final class ExecSession {
  private static final long DRAIN_MILLIS = 1000;
  private final ExecProcess command;
  private final InputStream clientIn;
  private final OutputStream clientOut;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean finished = new AtomicBoolean();

  ExecSession(ExecProcess command, InputStream clientIn, OutputStream clientOut) {
    this.command = command;
    this.clientIn = clientIn;
    this.clientOut = clientOut;
  }

  void run(boolean attachStdin) throws IOException, InterruptedException {
    clientOut.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: peapod-exec\r\nConnection: Upgrade\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    clientOut.flush();
    Thread out = Thread.ofPlatform().daemon().name("stream-out").start(() -> {
      pump(command.stdout(), StreamFrames.STDOUT);
      command.close();
    });
    Optional<Thread> err = command.stderr().map(e -> Thread.ofPlatform().daemon().name("stream-err")
        .start(() -> pump(e, StreamFrames.STDERR)));
    Thread in = Thread.ofPlatform().daemon().name("stream-in").start(() -> feedStdin(attachStdin));
    int code = command.waitFor();
    finished.set(true);
    // A background process may still hold a terminal open; its output is not waited for forever.
    for (Thread t : List.of(out, err.orElse(out))) {
      t.join(DRAIN_MILLIS);
    }
    frame(StreamFrames.EXIT, String.valueOf(code).getBytes(StandardCharsets.US_ASCII), -1);
    in.interrupt();
  }

  /// Reads the client's frames for as long as the connection lasts: STDIN frames go to the command (when
  /// `attach`), a zero-length one closes its input, and the end of the connection (the client went
  /// away) ends the session, so no pump waits for ever on a command nobody reads.
  private void feedStdin(boolean attach) {
    OutputStream stdin = command.stdin();
    boolean inputOpen = true;
    try {
      if (!attach) {
        stdin.close();
        inputOpen = false;
      }
      DataInputStream frames = new DataInputStream(clientIn);
      while (true) {
        Optional<StreamFrames.Frame> f = StreamFrames.read(frames);
        if (f.isEmpty()) {
          endEarly();
          return;
        }
        if (!inputOpen || f.get().stream() != StreamFrames.STDIN) {
          continue;
        }
        if (f.get().payload().length == 0) {
          stdin.close();
          inputOpen = false;
        } else {
          stdin.write(f.get().payload());
          stdin.flush();
        }
      }
    } catch (IOException e) {
      // The client went away or the command closed its input: either way input is over.
      endEarly();
    } finally {
      if (inputOpen) {
        closeQuietly(stdin);
      }
    }
  }

  private static void closeQuietly(OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      // The command's input is already gone, which is what closing it was for.
    }
  }

  /// Ends a session the client left: kills an exec'd command, detaches from an attached container;
  /// nothing once the command has been waited for.
  private void endEarly() {
    if (!finished.get()) {
      command.destroy();
    }
  }

  private void pump(InputStream from, int stream) {
    byte[] buf = new byte[8192];
    try (from) {
      int n;
      while ((n = from.read(buf)) > 0) {
        frame(stream, buf, n);
      }
    } catch (IOException e) {
      endEarly();
    }
  }

  private void frame(int stream, byte[] data, int length) {
    writeLock.lock();
    try {
      StreamFrames.write(clientOut, stream, data, length < 0 ? data.length : length);
    } catch (IOException e) {
      endEarly();
    } finally {
      writeLock.unlock();
    }
  }
}
