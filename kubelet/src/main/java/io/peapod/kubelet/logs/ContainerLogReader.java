package io.peapod.kubelet.logs;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.NotFoundException;
import io.peapod.runtime.api.ContainerLogFiles;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/// Reads one container instance's log (CRI format: `<RFC 3339 time> <stdout|stderr> <P|F> <text>`, P for
/// a partial line continued by the next) across its rotated files and the live one, and writes the text
/// as the container printed it. Memory stays bounded whatever the log's size: `--tail` reads backwards
/// from the end in blocks, `--since` skips lines as they stream, and `--follow` reads what is appended
/// (and the next file, after a rotation) until the container ends.
public final class ContainerLogReader {
  private static final int BLOCK = 64 * 1024;

  /// `tail` < 0 means every line.
  public record Options(int tail, Optional<Instant> since, boolean follow, boolean timestamps) {}

  private ContainerLogReader() {}

  /// Throws [NotFoundException] before writing anything when the log does not exist.
  public static void write(Path live, Options o, BooleanSupplier running, OutputStream out) throws IOException {
    List<Path> files = files(live);
    if (files.isEmpty()) {
      throw new NotFoundException("log file " + live + " not found");
    }
    Start start = o.tail() >= 0 ? tailStart(files, o.tail()) : new Start(0, 0);
    Object liveKey = null;
    long livePosition = 0;
    for (int i = start.file(); i < files.size(); i++) {
      Path f = files.get(i);
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
        long from = i == start.file() ? start.offset() : 0;
        livePosition = copy(raf, from, raf.length(), o, out);
        if (f.equals(live)) {
          liveKey = key(f);
        }
      }
    }
    out.flush();
    if (o.follow()) {
      follow(live, liveKey, livePosition, o, running, out);
    }
  }

  private static List<Path> files(Path live) {
    List<Path> files = new ArrayList<>(ContainerLogFiles.rotated(live));
    if (Files.exists(live)) {
      files.add(live);
    }
    return files;
  }

  private record Start(int file, long offset) {}

  /// Where the last `n` lines begin, counting back from the end of the last file into earlier ones. A
  /// line is a run of partial (P) records ended by a full (F) one, so it is the F records that count; a
  /// final P record (a line still being written) is shown but not counted.
  private static Start tailStart(List<Path> files, int n) throws IOException {
    if (n == 0) {
      return new Start(files.size() - 1, Files.size(files.getLast()));
    }
    int full = 0;
    Start next = new Start(files.size() - 1, Files.size(files.getLast()));
    byte[] buf = new byte[BLOCK];
    for (int i = files.size() - 1; i >= 0; i--) {
      try (RandomAccessFile raf = new RandomAccessFile(files.get(i).toFile(), "r")) {
        long end = raf.length();
        long pos = end;
        while (pos > 0) {
          int len = (int) Math.min(BLOCK, pos);
          pos -= len;
          raf.seek(pos);
          raf.readFully(buf, 0, len);
          for (int k = len - 1; k >= 0; k--) {
            long recordStart = pos + k + 1;
            if (buf[k] != '\n' || recordStart == end) {
              continue;
            }
            if (isFull(raf, recordStart)) {
              if (full == n) {
                return next;
              }
              full++;
            }
            next = new Start(i, recordStart);
          }
        }
        if (end > 0) {
          if (isFull(raf, 0)) {
            if (full == n) {
              return next;
            }
            full++;
          }
          next = new Start(i, 0);
        }
      }
    }
    return new Start(0, 0);
  }

  /// Whether the record at `offset` is a full line (tag F, or a line not in CRI format).
  private static boolean isFull(RandomAccessFile raf, long offset) throws IOException {
    byte[] head = new byte[80];
    raf.seek(offset);
    int n = Math.max(0, raf.read(head));
    String[] f = new String(head, 0, n, StandardCharsets.ISO_8859_1).split("[ \n]", 4);
    return f.length < 3 || !f[2].equals("P");
  }

  /// Copies CRI lines between `from` and `to`, rendered; returns where it stopped (before a line still
  /// being written).
  private static long copy(RandomAccessFile raf, long from, long to, Options o, OutputStream out) throws IOException {
    raf.seek(from);
    long pos = from;
    byte[] buf = new byte[BLOCK];
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    long lineStart = pos;
    while (pos < to) {
      int n = raf.read(buf, 0, (int) Math.min(buf.length, to - pos));
      if (n <= 0) {
        break;
      }
      for (int k = 0; k < n; k++) {
        if (buf[k] == '\n') {
          emit(line.toString(StandardCharsets.UTF_8), o, out);
          line.reset();
          lineStart = pos + k + 1;
        } else if (line.size() < 1024 * 1024) {
          line.write(buf[k]);
        }
      }
      pos += n;
    }
    return lineStart;
  }

  private static void emit(String criLine, Options o, OutputStream out) throws IOException {
    String[] f = criLine.split(" ", 4);
    if (f.length < 3) {
      out.write((criLine + "\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (o.since().isPresent() && time(f[0]).filter(t -> t.isBefore(o.since().get())).isPresent()) {
      return;
    }
    String text = f.length == 4 ? f[3] : "";
    String end = f[2].equals("P") ? "" : "\n";
    out.write(((o.timestamps() ? f[0] + " " : "") + text + end).getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<Instant> time(String s) {
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  /// Reads what is appended to the live file, woken by inotify; after a rotation the old file is read to
  /// its end and the new one from its start. Ends once the container has ended and all is read.
  private static void follow(Path live, Object liveKey, long position, Options o, BooleanSupplier running,
      OutputStream out) throws IOException {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      live.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
      RandomAccessFile raf = Files.exists(live) ? new RandomAccessFile(live.toFile(), "r") : null;
      Object key = liveKey;
      long pos = position;
      try {
        while (true) {
          if (raf != null) {
            pos = copy(raf, pos, raf.length(), o, out);
            out.flush();
          }
          boolean ended = !running.getAsBoolean();
          if (Files.exists(live) && !Objects.equals(key(live), key)) {
            if (raf != null) {
              copy(raf, pos, raf.length(), o, out);
              raf.close();
            }
            raf = new RandomAccessFile(live.toFile(), "r");
            key = key(live);
            pos = 0;
            continue;
          }
          if (ended) {
            return;
          }
          var k = watch.poll(1, TimeUnit.SECONDS);
          if (k != null) {
            k.pollEvents();
            k.reset();
          }
        }
      } finally {
        if (raf != null) {
          raf.close();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
        return;
      }
      throw new InternalException("follow log " + live + ": " + e.getMessage(), e);
    }
  }
}
