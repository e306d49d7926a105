package io.peapod.server.api;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/// Reads a container log in the CRI format (`<RFC3339 time> <stdout|stderr> <P|F> <text>`, one line
/// each, P for a partial line continued by the next) and writes the text as the container printed it.
final class CriLogReader {
  private CriLogReader() {}

  /// Writes the last `tail` lines (all when negative); with `follow`, keeps writing new lines until
  /// `running` turns false, woken by inotify on the log's directory.
  static void stream(Path file, int tail, boolean follow, boolean timestamps, BooleanSupplier running,
      OutputStream out) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      long position = 0;
      for (String l : lines) {
        position += l.getBytes(StandardCharsets.UTF_8).length + 1;
      }
      Deque<String> kept = new ArrayDeque<>();
      for (String l : lines) {
        kept.addLast(l);
        if (tail >= 0 && kept.size() > tail) {
          kept.removeFirst();
        }
      }
      for (String l : kept) {
        out.write(render(l, timestamps));
      }
      out.flush();
      if (!follow) {
        return;
      }
      try (WatchService watch = FileSystems.getDefault().newWatchService()) {
        file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
        raf.seek(Math.min(position, raf.length()));
        while (true) {
          String line;
          while ((line = raf.readLine()) != null) {
            out.write(render(new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), timestamps));
          }
          out.flush();
          if (!running.getAsBoolean()) {
            return;
          }
          var key = watch.poll(1, TimeUnit.SECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        Thread.currentThread().interrupt();
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("Broken pipe")) {
        return;
      }
      throw new InternalException("read log " + file + ": " + e.getMessage(), e);
    }
  }

  static byte[] render(String criLine, boolean timestamps) {
    String[] f = criLine.split(" ", 4);
    if (f.length < 3) {
      return (criLine + "\n").getBytes(StandardCharsets.UTF_8);
    }
    String text = f.length == 4 ? f[3] : "";
    String end = f[2].equals("P") ? "" : "\n";
    return ((timestamps ? f[0] + " " : "") + text + end).getBytes(StandardCharsets.UTF_8);
  }
}
