package io.peapod.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/// Builds small image archives in memory for tests: layer tars, `docker save` and OCI layout archives.
final class Archives {
  private Archives() {}

  /// A layer tar from entries: a name ending in `/` is a directory, `name -> target` a symlink, and
  /// anything else a file with the given content.
  static byte[] layer(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> e : entries.entrySet()) {
        String name = e.getKey();
        TarArchiveEntry t;
        if (name.endsWith("/")) {
          t = new TarArchiveEntry(name);
          t.setMode(0755);
        } else if (name.contains(" -> ")) {
          String[] parts = name.split(" -> ");
          t = new TarArchiveEntry(parts[0], TarArchiveEntry.LF_SYMLINK);
          t.setLinkName(parts[1]);
        } else {
          t = new TarArchiveEntry(name, true);
          t.setSize(e.getValue().getBytes(StandardCharsets.UTF_8).length);
          t.setMode(0644);
        }
        tar.putArchiveEntry(t);
        if (!name.endsWith("/") && !name.contains(" -> ")) {
          tar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static String config(String cmdJson, String... diffIds) {
    StringBuilder ids = new StringBuilder();
    for (String d : diffIds) {
      ids.append(ids.isEmpty() ? "" : ",").append("\"sha256:").append(d).append('"');
    }
    return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\",\"FROM_IMAGE=yes\"],\"Cmd\":"
        + cmdJson + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}";
  }

  /// Writes a tar of the given files (name to content) to `target`.
  static Path archive(Path target, Map<String, byte[]> files) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(target))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry t = new TarArchiveEntry(f.getKey());
        t.setSize(f.getValue().length);
        tar.putArchiveEntry(t);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return target;
  }

  static Map<String, byte[]> files() {
    return new LinkedHashMap<>();
  }
}
