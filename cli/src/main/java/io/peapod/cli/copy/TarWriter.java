package io.peapod.cli.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/// A ustar stream of a file or a directory tree (regular files and directories; symlinks and special
/// files are left out, as kubectl's `cp` leaves what it cannot copy safely). Names longer than ustar
/// holds get a GNU long-name entry, which busybox and GNU tar read.
public final class TarWriter {
  private static final int BLOCK = 512;
  private final OutputStream out;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /// Writes `source` as `name` (and, for a directory, everything below it as `name/...`), then the end.
  public void write(Path source, String name) throws IOException {
    List<Path> all;
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.walk(source)) {
        all = s.sorted().toList();
      }
    } else {
      all = List.of(source);
    }
    for (Path p : all) {
      String rel = source.relativize(p).toString();
      String entry = rel.isEmpty() ? name : name + "/" + rel;
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        header(entry + "/", mode, 0, '5');
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        long size = Files.size(p);
        header(entry, mode, size, '0');
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
          long copied = in.transferTo(out);
          pad(copied);
        }
      }
    }
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  private void header(String name, int mode, long size, char type) throws IOException {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 100) {
      // GNU long name: a `L` entry whose data is the name, then the real header with a cut name.
      header0("././@LongLink", 0, bytes.length + 1L, 'L');
      out.write(bytes);
      out.write(0);
      pad(bytes.length + 1L);
    }
    header0(name, mode, size, type);
  }

  private void header0(String name, int mode, long size, char type) throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, System.currentTimeMillis() / 1000);
    h[156] = (byte) type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  private static void octal(byte[] h, int at, int len, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, Math.min(len - 1, b.length));
  }

  private void pad(long size) throws IOException {
    long rest = size % BLOCK;
    if (rest != 0) {
      out.write(new byte[(int) (BLOCK - rest)]);
    }
  }
}
