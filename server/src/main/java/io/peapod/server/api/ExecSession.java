package io.peapod.server.api;

import io.peapod.base.api.StreamFrames;
import io.peapod.runtime.api.ExecProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  /// Up to 2 MiB of input frames (8 KiB each, as clients send them) waiting for the command to read.
  private static final int INPUT_FRAMES = 256;
  private static final Duration INPUT_STALL = Duration.ofSeconds(60);
  private static final Logger LOG = System.getLogger(ExecSession.class.getName());
  private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>(INPUT_FRAMES);

  ExecSession(ExecProcess command, InputStream clientIn, OutputStream clientOut) {
    this.command = command;
    this.clientIn = clientIn;
    this.clientOut = clientOut;
  }

  void run(boolean attachStdin) throws IOException, InterruptedException {
    try {
      clientOut.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: peapod-exec\r\nConnection: Upgrade\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      clientOut.flush();
    } catch (IOException gone) {
      // The client left before the session began: nothing will read or close it.
      command.destroy();
      command.close();
      throw gone;
    }
    Thread out = Thread.ofPlatform().daemon().name("stream-out").start(() -> {
      pump(command.stdout(), StreamFrames.STDOUT);
      command.close();
    });
    Optional<Thread> err = command.stderr().map(e -> Thread.ofPlatform().daemon().name("stream-err")
        .start(() -> pump(e, StreamFrames.STDERR)));
    if (attachStdin) {
      Thread.ofPlatform().daemon().name("stream-stdin").start(this::writeStdin);
    } else {
      closeQuietly(command.stdin());
    }
    Thread in = Thread.ofPlatform().daemon().name("stream-in").start(() -> readFrames(attachStdin));
    int code = command.waitFor();
    finished.set(true);
    // A background process may still hold a terminal open; its output is not waited for forever.
    for (Thread t : List.of(out, err.orElse(out))) {
      t.join(DRAIN_MILLIS);
    }
    frame(StreamFrames.EXIT, String.valueOf(code).getBytes(StandardCharsets.US_ASCII), -1);
    in.interrupt();
  }

  /// Reads the client's frames for as long as the connection lasts: STDIN payloads are queued for
  /// [#writeStdin] (when `attach`), a zero-length one ends the input, and the end of the connection (the
  /// client went away) ends the session, so no pump waits for ever on a command nobody reads. Reading
  /// apart from writing keeps a command that does not read its input from hiding the client's end; one
  /// that leaves [#INPUT_FRAMES] unread for [#INPUT_STALL] ends the session.
  private void readFrames(boolean attach) {
    try {
      DataInputStream frames = new DataInputStream(clientIn);
      while (true) {
        Optional<StreamFrames.Frame> f = StreamFrames.read(frames);
        if (f.isEmpty()) {
          endEarly();
          return;
        }
        if (!attach || f.get().stream() != StreamFrames.STDIN) {
          continue;
        }
        if (!input.offer(f.get().payload(), INPUT_STALL.toSeconds(), TimeUnit.SECONDS)) {
          LOG.log(Logger.Level.INFO, "ending a session whose command has not read its input for {0} s",
              INPUT_STALL.toSeconds());
          endEarly();
          return;
        }
      }
    } catch (IOException e) {
      // The client went away: input is over.
      endEarly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      input.offer(new byte[0]);
    }
  }

  /// Writes queued input to the command until a zero-length payload (the client's end of input).
  private void writeStdin() {
    OutputStream stdin = command.stdin();
    try (stdin) {
      while (true) {
        byte[] payload = input.take();
        if (payload.length == 0) {
          return;
        }
        stdin.write(payload);
        stdin.flush();
      }
    } catch (IOException e) {
      // The command closed its input, or the session ended: either way input is over.
      endEarly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
