package io.peapod.image.content;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.ResourceExhaustedException;
import io.peapod.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/// The content store on a local file system; see the package documentation for the layout.
public final class LocalContentStore implements ContentStore {
  private final Path blobs;
  private final Path ingest;

  public LocalContentStore(Path root) {
    this.blobs = root.resolve("blobs/sha256");
    this.ingest = root.resolve("ingest");
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(ingest);
      try (Stream<Path> stale = Files.list(ingest)) {
        for (Path p : stale.toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new InternalException("prepare content store " + root, e);
    }
  }

  public Path path(Digest digest) {
    return blobs.resolve(digest.hex());
  }

  @Override
  public boolean exists(Digest digest) {
    return Files.exists(path(digest));
  }

  @Override
  public InputStream open(Digest digest) {
    try {
      return Files.newInputStream(path(digest));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("blob " + digest + " not found in the content store", e);
    } catch (IOException e) {
      throw new InternalException("open blob " + digest, e);
    }
  }

  @Override
  public byte[] readAll(Digest digest) {
    try (InputStream in = open(digest)) {
      byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > MAX_DOCUMENT_BYTES) {
        throw new InvalidArgumentException("blob " + digest + " is larger than " + (MAX_DOCUMENT_BYTES >> 20)
            + " MiB; an image's manifest, index or config cannot be that large");
      }
      return bytes;
    } catch (IOException e) {
      throw new InternalException("read blob " + digest, e);
    }
  }

  @Override
  public long size(Digest digest) {
    try {
      return Files.size(path(digest));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("blob " + digest + " not found in the content store", e);
    } catch (IOException e) {
      throw new InternalException("stat blob " + digest, e);
    }
  }

  @Override
  public Blob ingest(InputStream in, Optional<Digest> expected) {
    if (expected.isPresent() && exists(expected.get())) {
      return new Blob(expected.get(), size(expected.get()));
    }
    Path tmp = ingest.resolve(UUID.randomUUID().toString());
    try {
      MessageDigest sha = sha256();
      long size = 0;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          out.write(buf, 0, n);
          size += n;
        }
        out.flush();
        ch.force(true);
      }
      Digest actual = Digest.ofBytes(sha.digest());
      if (expected.isPresent() && !expected.get().equals(actual)) {
        throw new InvalidArgumentException("digest mismatch: expected " + expected.get() + " but the content is "
            + actual + " (" + size + " bytes); the blob was not stored");
      }
      commit(tmp, path(actual));
      return new Blob(actual, size);
    } catch (IOException e) {
      throw ioFailure("write blob", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void commit(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Another writer committed the same content first; identical bytes by definition.
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("content store must be on one file system", e);
    }
  }

  static RuntimeException ioFailure(String what, IOException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("No space left") || msg.contains("Disk quota")) {
      return new ResourceExhaustedException(what + ": disk full (" + msg + ")", e);
    }
    return new InternalException(what + ": " + msg, e);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("remove ingest file " + p, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new InternalException("sha256 unavailable", e);
    }
  }

  @Override
  public void delete(Digest digest) {
    try {
      Files.deleteIfExists(path(digest));
    } catch (IOException e) {
      throw new InternalException("delete blob " + digest, e);
    }
  }

  @Override
  public List<Digest> list() {
    try (Stream<Path> s = Files.list(blobs)) {
      List<Digest> out = new ArrayList<>();
      s.forEach(p -> out.add(new Digest(p.getFileName().toString())));
      return out;
    } catch (IOException e) {
      throw new InternalException("list content store", e);
    }
  }
}
