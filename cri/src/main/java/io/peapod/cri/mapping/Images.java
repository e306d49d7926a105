package io.peapod.cri.mapping;

import io.peapod.base.error.InternalException;
import io.peapod.cri.v1.FilesystemIdentifier;
import io.peapod.cri.v1.FilesystemUsage;
import io.peapod.cri.v1.Image;
import io.peapod.cri.v1.ImageSpec;
import io.peapod.cri.v1.Int64Value;
import io.peapod.cri.v1.UInt64Value;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.store.ImageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/// Stored images as CRI's Image: one entry per image (config digest), with every name that points at
/// it as a repo tag and `repository@manifest digest` as its repo digests.
public final class Images {
  private Images() {}

  public static String id(ImageRecord r) {
    return r.config().toString();
  }

  public static Image image(ImageRecord r, List<ImageRecord> all, ImageConfig config) {
    List<ImageRecord> same = all.stream().filter(i -> i.config().equals(r.config())).toList();
    Image.Builder b = Image.newBuilder().setId(id(r)).setSize(r.size())
        .setSpec(ImageSpec.newBuilder().setImage(id(r)));
    for (ImageRecord i : same.isEmpty() ? List.of(r) : same) {
      if (i.name().digest().isEmpty()) {
        b.addRepoTags(i.name().toString());
      }
      String digest = i.name().repository() + "@" + i.manifest();
      if (!b.getRepoDigestsList().contains(digest)) {
        b.addRepoDigests(digest);
      }
    }
    String user = config.user().split(":", 2)[0];
    if (user.matches("[0-9]+")) {
      b.setUid(Int64Value.newBuilder().setValue(Long.parseLong(user)));
    } else {
      b.setUsername(user);
    }
    return b.build();
  }

  /// One record per image: names of the same config collapse into the first.
  public static List<ImageRecord> dedupe(List<ImageRecord> records) {
    Map<String, ImageRecord> byId = new LinkedHashMap<>();
    records.forEach(r -> byId.putIfAbsent(id(r), r));
    return new ArrayList<>(byId.values());
  }

  /// Bytes and inodes under the image store, as ImageFsInfo reports them. A directory removed while it
  /// is walked (an image deleted meanwhile) ends the walk early; it is walked again, at most three times.
  public static FilesystemUsage usage(Path root) {
    for (int attempt = 1; ; attempt++) {
      try {
        return walk(root);
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 3) {
          throw new InternalException("measure the image store " + root + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static FilesystemUsage walk(Path root) {
    AtomicLong bytes = new AtomicLong();
    AtomicLong inodes = new AtomicLong();
    if (Files.isDirectory(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        all.forEach(p -> {
          inodes.incrementAndGet();
          try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile()) {
              bytes.addAndGet(a.size());
            }
          } catch (java.nio.file.NoSuchFileException gone) {
            // Removed while counted (an unpack's temporary file renamed, say): not there any more.
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new InternalException("measure the image store " + root + ": " + e.getMessage(), e);
      }
    }
    Instant now = Instant.now();
    return FilesystemUsage.newBuilder().setTimestamp(Times.nanos(now))
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(root.toString()))
        .setUsedBytes(UInt64Value.newBuilder().setValue(bytes.get()))
        .setInodesUsed(UInt64Value.newBuilder().setValue(inodes.get())).build();
  }
}
