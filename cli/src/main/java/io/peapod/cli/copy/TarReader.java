package io.peapod.cli.copy;

import io.peapod.base.error.InvalidArgumentException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/// Extracts a tar stream from a container into a local directory. Every entry must stay beneath the
/// destination: an absolute name or one with `..` is refused, no symlink in the destination is followed
/// (files are opened with `O_NOFOLLOW`, and a directory on the way that is a link stops the copy), and
/// links and special files in the stream are skipped with a warning, as kubectl's `cp` does. The entry
/// named `from` becomes `to`.
public final class TarReader {
  private static final int BLOCK = 512;
  private static final int MAX_LONG_NAME = 4096;

  private TarReader() {}

  /// Returns the paths written.
  public static List<Path> extract(InputStream stream, String from, Path destination, PrintStream warnings)
      throws IOException {
    // One spelling of the destination, so that every check below compares like with like.
    Path to = destination.toAbsolutePath().normalize();
    DataInputStream in = new DataInputStream(stream);
    List<Path> written = new ArrayList<>();
    String longName = null;
    byte[] h = new byte[BLOCK];
    while (true) {
      try {
        in.readFully(h);
      } catch (EOFException end) {
        return written;
      }
      if (isZero(h)) {
        return written;
      }
      String name = longName != null ? longName : name(h);
      longName = null;
      long size = size(h);
      char type = (char) h[156];
      if (type == 'L') {
        if (size > MAX_LONG_NAME) {
          throw new InvalidArgumentException("the archive from the container has a name of " + size + " bytes");
        }
        byte[] n = in.readNBytes((int) size);
        skipPad(in, size);
        longName = new String(n, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'K' || type == 'x' || type == 'g') {
        // A long link target or pax attributes: nothing this copy uses.
        in.skipNBytes(size);
        skipPad(in, size);
        continue;
      }
      Path target = target(name, from, to);
      int mode = Integer.parseInt(field(h, 100, 8).isEmpty() ? "644" : field(h, 100, 8), 8) & 0777;
      switch (type) {
        case '5' -> {
          mkdirs(to, target);
          Files.setAttribute(target, "unix:mode", mode | 0700);
        }
        case '0', '\0', '7' -> {
          mkdirs(to, target.getParent());
          try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            copy(in, out, size);
          }
          Files.setAttribute(target, "unix:mode", mode);
          written.add(target);
          skipPad(in, size);
          continue;
        }
        default -> warnings.println("warning: skipping " + name + ": links and special files are not copied");
      }
      in.skipNBytes(size);
      skipPad(in, size);
    }
  }

  /// Where an entry goes: `from` itself is `to`, `from/x` is `to/x`; anything else, or any escape, is refused.
  static Path target(String name, String from, Path to) {
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    String f = from.endsWith("/") ? from.substring(0, from.length() - 1) : from;
    if (n.startsWith("/") || List.of(n.split("/")).contains("..")) {
      throw new InvalidArgumentException("the archive from the container has an entry '" + name + "' that would"
          + " land outside " + to + "; nothing more is copied");
    }
    String rest;
    if (n.equals(f)) {
      rest = "";
    } else if (n.startsWith(f + "/")) {
      rest = n.substring(f.length() + 1);
    } else {
      throw new InvalidArgumentException("the archive from the container has an unexpected entry '" + name + "'");
    }
    Path target = rest.isEmpty() ? to : to.resolve(rest).normalize();
    if (!target.startsWith(to.normalize())) {
      throw new InvalidArgumentException("entry '" + name + "' would land outside " + to);
    }
    return target;
  }

  /// Makes `dir` and what is missing above it down from `to` (the destination's own parent is the
  /// user's and must exist), refusing to go through a symlink or a file.
  private static void mkdirs(Path to, Path dir) throws IOException {
    if (!dir.startsWith(to)) {
      return;
    }
    Path p = to;
    ensureDir(p);
    for (Path part : to.relativize(dir)) {
      p = p.resolve(part);
      ensureDir(p);
    }
  }

  private static void ensureDir(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      throw new InvalidArgumentException(p + " is a symbolic link; cp does not write through it");
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(p);
    } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidArgumentException(p + " is not a directory");
    }
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[8192];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("the archive ended inside a file");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skipPad(InputStream in, long size) throws IOException {
    long rest = size % BLOCK;
    if (rest != 0) {
      in.skipNBytes(BLOCK - rest);
    }
  }

  /// The size field: octal, or base-256 (high bit set) for files of 8 GiB and more.
  private static long size(byte[] h) {
    if ((h[124] & 0x80) != 0) {
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String octal = field(h, 124, 12);
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String name(byte[] h) {
    String name = field(h, 0, 100);
    String prefix = field(h, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String field(byte[] h, int at, int len) {
    int end = at;
    while (end < at + len && h[end] != 0) {
      end++;
    }
    return new String(h, at, end - at, StandardCharsets.UTF_8).trim();
  }
}
