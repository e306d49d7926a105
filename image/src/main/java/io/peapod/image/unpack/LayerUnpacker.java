package io.peapod.image.unpack;

import io.airlift.compress.zstd.ZstdInputStream;
import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.ResourceExhaustedException;
import io.peapod.image.ref.Digest;
import io.peapod.sys.Syscalls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/// Unpacks one layer tar (plain, gzip or zstd) into an empty directory, verifying its diff id.
public final class LayerUnpacker {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private final Syscalls sys;

  public LayerUnpacker(Syscalls sys) {
    this.sys = sys;
  }

  /// Unpacks `layer` into `root` (which must exist and be empty) and returns the diff id, the
  /// sha256 of the uncompressed tar. Throws when `expectedDiffId` is given and differs. `layer` is
  /// read to its end, past the tar's and the compression's own, so a verifying stream sees every byte.
  public Digest unpack(InputStream layer, Path root, Optional<Digest> expectedDiffId) {
    MessageDigest sha = sha256();
    List<DirTime> dirTimes = new ArrayList<>();
    try {
      BufferedInputStream compressed = new BufferedInputStream(layer, 1 << 16);
      InputStream raw = decompress(compressed);
      DigestInputStream hashed = new DigestInputStream(raw, sha);
      TarArchiveInputStream tar = new TarArchiveInputStream(hashed, StandardCharsets.UTF_8.name());
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        extract(tar, e, root, dirTimes);
      }
      hashed.transferTo(OutputStream.nullOutputStream());
      compressed.transferTo(OutputStream.nullOutputStream());
      for (DirTime d : dirTimes.reversed()) {
        Files.setLastModifiedTime(d.dir, d.time);
      }
    } catch (IOException ex) {
      String msg = String.valueOf(ex.getMessage());
      if (msg.contains("No space left")) {
        throw new ResourceExhaustedException("unpack layer into " + root + ": disk full", ex);
      }
      throw new InvalidArgumentException("unpack layer into " + root + ": not a readable tar (" + msg + ")", ex);
    }
    Digest actual = Digest.ofBytes(sha.digest());
    if (expectedDiffId.isPresent() && !expectedDiffId.get().equals(actual)) {
      throw new InvalidArgumentException("layer diff id mismatch: the image config says " + expectedDiffId.get()
          + " but the layer's uncompressed content is " + actual);
    }
    return actual;
  }

  private record DirTime(Path dir, FileTime time) {}

  private static InputStream decompress(BufferedInputStream in) throws IOException {
    in.mark(4);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (b1 == 0x28 && b2 == 0xb5) {
      return new ZstdInputStream(in);
    }
    return in;
  }

  /// Cleans an entry name into path components below the root, refusing `..` and absolute names.
  static List<String> components(String name) {
    if (name.startsWith("/")) {
      throw UnsafeLayerException.of(name, "absolute path");
    }
    List<String> parts = new ArrayList<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw UnsafeLayerException.of(name, "'..' climbs out of the layer root");
      }
      parts.add(p);
    }
    return parts;
  }

  /// Resolves components under root, creating missing parents and refusing any parent that is a symlink.
  private static Path parentOf(Path root, List<String> parts, String entry) throws IOException {
    Path dir = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      dir = dir.resolve(parts.get(i));
      if (Files.isSymbolicLink(dir)) {
        throw UnsafeLayerException.of(entry, "its parent '" + String.join("/", parts.subList(0, i + 1))
            + "' is a symlink, and writing through it could leave the layer root");
      }
      if (!Files.exists(dir, NOFOLLOW)) {
        // A parent the layer does not list gets 0755, as containerd makes them, whatever the daemon's umask.
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:mode", 0755);
      } else if (!Files.isDirectory(dir, NOFOLLOW)) {
        throw UnsafeLayerException.of(entry, "its parent is not a directory");
      }
    }
    return dir;
  }

  private void extract(TarArchiveInputStream tar, TarArchiveEntry e, Path root, List<DirTime> dirTimes)
      throws IOException {
    String entry = e.getName();
    List<String> parts = components(entry);
    if (parts.isEmpty()) {
      applyMetadata(root, e);
      return;
    }
    Path parent = parentOf(root, parts, entry);
    String base = parts.getLast();
    if (base.equals(OPAQUE)) {
      sys.setXattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      Path hidden = parent.resolve(base.substring(WHITEOUT.length()));
      removeExisting(hidden);
      sys.mknod(hidden, 0020000, 0, 0);
      return;
    }
    Path target = parent.resolve(base);
    if (e.isDirectory()) {
      if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
        removeExisting(target);
      }
      if (!Files.exists(target, NOFOLLOW)) {
        Files.createDirectory(target);
      }
      applyMetadata(target, e);
      dirTimes.add(new DirTime(target, FileTime.from(e.getModTime().toInstant())));
      return;
    }
    removeExisting(target);
    if (e.isSymbolicLink()) {
      checkSymlink(entry, parts, e.getLinkName());
      Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
      Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
      return;
    }
    if (e.isLink()) {
      List<String> linkParts = components(e.getLinkName());
      if (linkParts.isEmpty()) {
        throw UnsafeLayerException.of(entry, "hardlink to the layer root");
      }
      Path source = parentOf(root, linkParts, entry).resolve(linkParts.getLast());
      if (!Files.exists(source, NOFOLLOW) || Files.isDirectory(source, NOFOLLOW)) {
        throw UnsafeLayerException.of(entry, "hardlink to '" + e.getLinkName() + "', which is not a file in this layer");
      }
      Files.createLink(target, source);
      return;
    }
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      int type = e.isCharacterDevice() ? 0020000 : e.isBlockDevice() ? 0060000 : 0010000;
      sys.mknod(target, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
      applyMetadata(target, e);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      tar.transferTo(out);
    }
    applyMetadata(target, e);
    Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
  }

  /// A relative symlink must stay inside the root when resolved from its own directory; absolute
  /// targets are resolved against the container's root at run time, so they cannot leave it.
  private static void checkSymlink(String entry, List<String> parts, String linkName) {
    if (linkName.startsWith("/")) {
      return;
    }
    int depth = parts.size() - 1;
    for (String p : linkName.split("/")) {
      if (p.equals("..")) {
        depth--;
        if (depth < 0) {
          throw UnsafeLayerException.of(entry, "symlink target '" + linkName + "' points outside the layer root");
        }
      } else if (!p.isEmpty() && !p.equals(".")) {
        depth++;
      }
    }
  }

  private void applyMetadata(Path target, TarArchiveEntry e) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
    Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
    // chmod(2) by path: the target was created by this unpack and is never a symlink here.
    Files.setAttribute(target, "unix:mode", e.getMode() & 07777);
    for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
      if (x.getKey().startsWith("SCHILY.xattr.")) {
        sys.setXattr(target, x.getKey().substring(13), x.getValue().getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  private static void removeExisting(Path p) throws IOException {
    if (!Files.exists(p, NOFOLLOW)) {
      return;
    }
    if (Files.isDirectory(p, NOFOLLOW)) {
      FileTrees.delete(p);
    } else {
      Files.delete(p);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new InternalException("sha256 unavailable", ex);
    }
  }
}
