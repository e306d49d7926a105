package io.peapod.image.importer;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.content.ContentIngester.Blob;
import io.peapod.image.content.ContentStore;
import io.peapod.image.manifest.Descriptor;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.manifest.ManifestJson;
import io.peapod.image.manifest.MediaTypes;
import io.peapod.image.manifest.Platform;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/// Makes a one-layer image from a root filesystem: a directory (tarred here, keeping owners, modes
/// and symlinks) or a tar file (gzip is undone so the layer digest is its diff id).
public final class RootfsImporter {
  private final ContentStore content;
  private final Path tmpDir;

  public RootfsImporter(ContentStore content, Path tmpDir) {
    this.content = content;
    this.tmpDir = tmpDir;
  }

  public ImportedImage importRootfs(Path source, String name, List<String> changes) {
    if (!Files.exists(source)) {
      throw new InvalidArgumentException("rootfs " + source + " does not exist");
    }
    ImageConfig base = new ImageConfig(Platform.current().architecture(), "linux", "",
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), List.of(), List.of(), "",
        Map.of(), "", List.of(), Instant.now().toString());
    ImageConfig withChanges = ConfigChanges.apply(base, changes);
    Blob layer = Files.isDirectory(source) ? ingestDirectory(source) : ingestTar(source);
    ImageConfig config = new ImageConfig(withChanges.architecture(), withChanges.os(), withChanges.user(),
        withChanges.env(), withChanges.entrypoint(), withChanges.cmd(), withChanges.workingDir(), withChanges.labels(),
        withChanges.stopSignal(), List.of(layer.digest()), withChanges.created());
    Blob cfg = content.ingest(new ByteArrayInputStream(ManifestJson.writeConfig(config)), Optional.empty());
    byte[] manifest = ManifestJson.writeManifest(Descriptor.of(MediaTypes.OCI_CONFIG, cfg.digest(), cfg.size()),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer.digest(), layer.size())));
    Blob m = content.ingest(new ByteArrayInputStream(manifest), Optional.empty());
    return new ImportedImage(m.digest(), cfg.digest(), cfg.size() + layer.size(), List.of(name));
  }

  private Blob ingestTar(Path tar) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      return content.ingest(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, Optional.empty());
    } catch (IOException e) {
      throw new InvalidArgumentException("read rootfs tar " + tar + ": " + e.getMessage(), e);
    }
  }

  private Blob ingestDirectory(Path dir) {
    Path tmp = null;
    try {
      Files.createDirectories(tmpDir);
      tmp = Files.createTempFile(tmpDir, "rootfs-", ".tar");
      try (OutputStream out = Files.newOutputStream(tmp);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        writeTree(dir, tar);
      }
      try (InputStream in = Files.newInputStream(tmp)) {
        return content.ingest(in, Optional.empty());
      }
    } catch (IOException e) {
      throw new InternalException("tar rootfs " + dir + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          throw new InternalException("remove " + tmp, e);
        }
      }
    }
  }

  private static void writeTree(Path root, TarArchiveOutputStream tar) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        if (!d.equals(root)) {
          put(d, attrs);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        put(f, attrs);
        return FileVisitResult.CONTINUE;
      }

      private void put(Path p, BasicFileAttributes attrs) throws IOException {
        String name = root.relativize(p).toString().replace('\\', '/');
        TarArchiveEntry e;
        if (attrs.isSymbolicLink()) {
          e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (attrs.isDirectory()) {
          e = new TarArchiveEntry(name + "/");
        } else if (attrs.isRegularFile()) {
          e = new TarArchiveEntry(name);
          e.setSize(attrs.size());
        } else {
          return;
        }
        e.setMode(((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777);
        e.setUserId((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        e.setGroupId((Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        e.setModTime(attrs.lastModifiedTime().toMillis());
        tar.putArchiveEntry(e);
        if (attrs.isRegularFile()) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    });
  }
}
