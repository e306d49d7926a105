package io.peapod.server.api;

import io.peapod.base.api.StreamFrames;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/// Bridges a process started by exec and an upgraded API connection, in [StreamFrames]: client STDIN
/// frames to the process's stdin, its stdout and stderr back as frames, then one EXIT frame.
final class ExecSession {
  private final Process process;
  private final InputStream clientIn;
  private final OutputStream clientOut;
  private final ReentrantLock writeLock = new ReentrantLock();

  ExecSession(Process process, InputStream clientIn, OutputStream clientOut) {
    this.process = process;
    this.clientIn = clientIn;
    this.clientOut = clientOut;
  }

  void run(boolean attachStdin) throws IOException, InterruptedException {
    clientOut.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: peapod-exec\r\nConnection: Upgrade\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    clientOut.flush();
    Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), StreamFrames.STDOUT));
    Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), StreamFrames.STDERR));
    Thread in = Thread.ofVirtual().start(() -> feedStdin(attachStdin));
    int code = process.waitFor();
    out.join();
    err.join();
    frame(StreamFrames.EXIT, String.valueOf(code).getBytes(StandardCharsets.US_ASCII), -1);
    in.interrupt();
  }

  private void feedStdin(boolean attach) {
    try (OutputStream stdin = process.getOutputStream()) {
      if (!attach) {
        return;
      }
      DataInputStream frames = new DataInputStream(clientIn);
      while (true) {
        Optional<StreamFrames.Frame> f = StreamFrames.read(frames);
        if (f.isEmpty() || f.get().stream() != StreamFrames.STDIN || f.get().payload().length == 0) {
          return;
        }
        stdin.write(f.get().payload());
        stdin.flush();
      }
    } catch (IOException e) {
      // The client went away or the process closed its stdin: either way input is over.
      process.destroy();
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
      process.destroy();
    }
  }

  private void frame(int stream, byte[] data, int length) {
    writeLock.lock();
    try {
      StreamFrames.write(clientOut, stream, data, length < 0 ? data.length : length);
    } catch (IOException e) {
      process.destroy();
    } finally {
      writeLock.unlock();
    }
  }
}
