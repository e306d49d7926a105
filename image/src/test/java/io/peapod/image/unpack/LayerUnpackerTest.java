package io.peapod.image.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.peapod.image.ref.Digest;
import io.peapod.testing.RecordingSyscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
  @TempDir Path tmp;
  private final RecordingSyscalls sys = new RecordingSyscalls();

  private static final int UID = ownerOf("unix:uid");
  private static final int GID = ownerOf("unix:gid");

  private static int ownerOf(String attribute) {
    try {
      Path probe = Files.createTempFile("peapod-owner", "");
      try {
        return (Integer) Files.getAttribute(probe, attribute);
      } finally {
        Files.delete(probe);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /// Entry specs: `d:name` directory, `f:name:content` file, `l:name:target` symlink, `h:name:target` hardlink.
  private static byte[] tar(String... specs) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
      for (String spec : specs) {
        String[] p = spec.split(":", 3);
        TarArchiveEntry e = switch (p[0]) {
          case "d" -> new TarArchiveEntry(p[1] + "/");
          case "l" -> {
            TarArchiveEntry s = new TarArchiveEntry(p[1], TarArchiveEntry.LF_SYMLINK);
            s.setLinkName(p[2]);
            yield s;
          }
          case "h" -> {
            TarArchiveEntry h = new TarArchiveEntry(p[1], TarArchiveEntry.LF_LINK);
            h.setLinkName(p[2]);
            yield h;
          }
          default -> {
            TarArchiveEntry f = new TarArchiveEntry(p[1], true);
            f.setSize(p[2].length());
            yield f;
          }
        };
        // Owned by whoever runs the test, so lchown succeeds without root.
        e.setUserId(UID);
        e.setGroupId(GID);
        if (!p[0].equals("l")) {
          e.setMode(p[0].equals("d") ? 0755 : 0644);
        }
        t.putArchiveEntry(e);
        if (p[0].equals("f")) {
          t.write(p[2].getBytes(StandardCharsets.UTF_8));
        }
        t.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private Path unpack(byte[] layer) {
    Path root = tmp.resolve("root");
    try {
      Files.createDirectories(root);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    new LayerUnpacker(sys).unpack(new ByteArrayInputStream(layer), root, Optional.empty());
    return root;
  }

  @Test
  void unpack_filesDirsLinks_andReturnsDiffId() throws Exception {
    byte[] layer = tar("d:etc", "f:etc/motd:hello", "l:etc/link:motd", "h:etc/hard:etc/motd");
    Path root = tmp.resolve("root");
    Files.createDirectories(root);
    Digest diffId = new LayerUnpacker(sys).unpack(new ByteArrayInputStream(layer), root, Optional.empty());
    assertEquals(Digest.ofBytes(MessageDigest.getInstance("SHA-256").digest(layer)), diffId);
    assertEquals("hello", Files.readString(root.resolve("etc/motd")));
    assertEquals(Path.of("motd"), Files.readSymbolicLink(root.resolve("etc/link")));
    assertEquals(Files.getAttribute(root.resolve("etc/motd"), "unix:ino"),
        Files.getAttribute(root.resolve("etc/hard"), "unix:ino"));
  }

  @Test
  void unpack_gzipLayer_sameDiffIdAsPlain() throws Exception {
    byte[] layer = tar("f:a:1");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(layer);
    }
    Path root = tmp.resolve("gz");
    Files.createDirectories(root);
    Digest d = new LayerUnpacker(sys).unpack(new ByteArrayInputStream(gz.toByteArray()), root, Optional.empty());
    assertEquals(Digest.ofBytes(MessageDigest.getInstance("SHA-256").digest(layer)), d);
  }

  @Test
  void unpack_zstdLayer_sameDiffIdAsPlain() throws Exception {
    byte[] layer = tar("f:z:zstd content");
    ByteArrayOutputStream zst = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(zst)) {
      out.write(layer);
    }
    Path root = Files.createDirectories(tmp.resolve("zst"));
    Digest d = new LayerUnpacker(sys).unpack(new ByteArrayInputStream(zst.toByteArray()), root, Optional.empty());
    assertEquals(Digest.ofBytes(MessageDigest.getInstance("SHA-256").digest(layer)), d);
    assertEquals("zstd content", Files.readString(root.resolve("z")));
  }

  @Test
  void unpack_whiteouts_becomeOverlayWhiteouts() throws Exception {
    unpack(tar("d:data", "f:data/.wh.gone:", "d:opaque", "f:opaque/.wh..wh..opq:"));
    assertEquals(List.of("mknod gone 20000 0:0", "xattr opaque trusted.overlay.opaque=y"), sys.calls);
  }

  @Test
  void unpack_dotDot_isRefused() throws Exception {
    var e = assertThrows(InvalidArgumentException.class, () -> unpack(tar("f:../evil:x")));
    assertTrue(e.getMessage().contains("unsafe layer entry '../evil'"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("evil")));
  }

  @Test
  void unpack_absolutePath_isRefused() throws Exception {
    assertThrows(InvalidArgumentException.class, () -> unpack(tar("f:/abs:x")));
  }

  @Test
  void unpack_writeThroughSymlink_isRefused() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    var e = assertThrows(InvalidArgumentException.class,
        () -> unpack(tar("l:link:" + outside, "f:link/planted:x")));
    assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
    assertFalse(Files.exists(outside.resolve("planted")));
  }

  @Test
  void unpack_relativeSymlinkClimbingOut_isRefused() throws Exception {
    assertThrows(InvalidArgumentException.class, () -> unpack(tar("d:a", "l:a/up:../../etc")));
  }

  @Test
  void unpack_hardlinkToOutside_isRefused() throws Exception {
    assertThrows(InvalidArgumentException.class, () -> unpack(tar("h:pw:../../etc/passwd")));
  }

  @Test
  void unpack_diffIdMismatch_isRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("m"));
    var wrong = Digest.parse("sha256:" + "0".repeat(64));
    var e = assertThrows(InvalidArgumentException.class,
        () -> new LayerUnpacker(sys).unpack(new ByteArrayInputStream(tar("f:a:1")), root, Optional.of(wrong)));
    assertTrue(e.getMessage().contains("diff id mismatch"), e.getMessage());
  }
}
