package io.peapod.image.unpack;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import io.peapod.image.ref.Digest;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/// Unpacked layers, one directory per diff id, shared by every image that has the layer.
///
/// Layout v1 under `<state>/layers/`: `<diff-id hex>/` is a complete unpacked layer; `.tmp-*` are
/// unpacks in flight, renamed into place only when complete and on disk (and removed at start after
/// a crash). A layer's directory does not depend on the layers below it: overlayfs stacks them at
/// mount time. The diff id names the content, so images from any registry, compressed in any way,
/// share a layer they have in common.
public final class LayerStore {
  private final Path root;
  private final LayerUnpacker unpacker;
  private final Syscalls sys;
  private final KeyedLock<Digest> locks = new KeyedLock<>();

  public LayerStore(Path root, LayerUnpacker unpacker, Syscalls sys) {
    this.root = root;
    this.unpacker = unpacker;
    this.sys = sys;
    try {
      Files.createDirectories(root);
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
          FileTrees.delete(p);
        }
      }
    } catch (IOException e) {
      throw new InternalException("prepare layer store " + root, e);
    }
  }

  public Path path(Digest diffId) {
    return root.resolve(diffId.hex());
  }

  public boolean exists(Digest diffId) {
    return Files.isDirectory(path(diffId));
  }

  /// Returns the layer's directory, unpacking `blob` first if no one has yet. Concurrent callers for
  /// the same layer wait for one unpack rather than doing it twice, and `blob` is opened only by the
  /// one that unpacks, so a layer two pulls need at once is downloaded once.
  public Path ensure(Digest diffId, Supplier<InputStream> blob) {
    Path dir = path(diffId);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    return locks.withLock(diffId, () -> {
      if (Files.isDirectory(dir)) {
        return dir;
      }
      Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
      try {
        Files.createDirectory(tmp);
        Files.setAttribute(tmp, "unix:mode", 0755);
        try (InputStream in = blob.get()) {
          unpacker.unpack(in, tmp, Optional.of(diffId));
        }
        sys.syncfs(tmp);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(root, StandardOpenOption.READ)) {
          d.force(true);
        }
        return dir;
      } catch (IOException e) {
        throw new InternalException("unpack layer " + diffId, e);
      } finally {
        deleteQuietly(tmp);
      }
    });
  }

  public void remove(Digest diffId) {
    try {
      FileTrees.delete(path(diffId));
    } catch (IOException e) {
      throw new InternalException("remove layer " + diffId, e);
    }
  }

  public List<Digest> list() {
    try (Stream<Path> s = Files.list(root)) {
      List<Digest> out = new ArrayList<>();
      s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(n -> out.add(new Digest(n)));
      return out;
    } catch (IOException e) {
      throw new InternalException("list layer store " + root, e);
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      FileTrees.delete(tmp);
    } catch (IOException e) {
      throw new InternalException("remove unfinished unpack " + tmp, e);
    }
  }
}
