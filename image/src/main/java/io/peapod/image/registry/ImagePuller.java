package io.peapod.image.registry;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.UnavailableException;
import io.peapod.image.content.ContentProvider;
import io.peapod.image.content.VerifyingInputStream;
import io.peapod.image.content.LocalContentStore;
import io.peapod.image.importer.ImportedImage;
import io.peapod.image.manifest.Descriptor;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.manifest.ManifestDocument;
import io.peapod.image.manifest.ManifestJson;
import io.peapod.image.manifest.Platform;
import io.peapod.image.ref.Digest;
import io.peapod.image.ref.ImageRef;
import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.image.registry.RegistryConfig.Endpoint;
import io.peapod.image.unpack.LayerStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/// Pulls one image: resolves the reference (an index to this node's platform), fetches the config,
/// then every layer in parallel. A layer streams from the registry into the unpacker; nothing is kept
/// unless its digest and its diff id match. Layers already unpacked are not fetched again, and two
/// pulls of one layer at once fetch it once.
public final class ImagePuller {
  private final RegistryConfig config;
  private final RegistryClient client;
  private final LocalContentStore content;
  private final LayerStore layers;
  private final KeyedLock<Digest> blobLocks = new KeyedLock<>();

  public ImagePuller(RegistryConfig config, RegistryClient client, LocalContentStore content, LayerStore layers) {
    this.config = config;
    this.client = client;
    this.content = content;
    this.layers = layers;
  }

  /// Tries each mirror of the reference's registry, then the registry itself; the last error wins.
  /// `credentials` (by registry host) go before the configured ones: a pod's pull secrets.
  public ImportedImage pull(ImageRef ref, Map<String, Credentials> credentials, Consumer<PullProgress> progress) {
    PeapodException last = null;
    for (Endpoint e : config.endpoints(ref.domain(), credentials)) {
      try {
        return pullFrom(e, ref, progress);
      } catch (UnavailableException | NotFoundException ex) {
        last = ex;
        progress.accept(new PullProgress(ref.familiar(), "failed on " + e.base() + ": " + ex.getMessage(), 0, -1));
      }
    }
    throw last;
  }

  private ImportedImage pullFrom(Endpoint e, ImageRef ref, Consumer<PullProgress> progress) {
    progress.accept(new PullProgress(ref.familiar(), "resolving at " + e.base(), 0, -1));
    String reference = ref.digest().map(Digest::toString).orElseGet(() -> ref.tag().orElse("latest"));
    RegistryClient.Manifest m = client.manifest(e, ref.path(), reference);
    Digest digest = verify(m.bytes(), ref.digest(), e, ref.path());
    ManifestDocument doc = ManifestJson.parseDocument(m.bytes(), m.mediaType());
    if (doc instanceof ManifestDocument.Index index) {
      Descriptor chosen = select(index, ref);
      m = client.manifest(e, ref.path(), chosen.digest().toString());
      digest = verify(m.bytes(), Optional.of(chosen.digest()), e, ref.path());
      doc = ManifestJson.parseDocument(m.bytes(), m.mediaType());
    }
    if (!(doc instanceof ManifestDocument.Image image)) {
      throw new InvalidArgumentException(ref + ": the registry's manifest is not an image");
    }
    Descriptor cfg = image.config();
    if (cfg.size() > ContentProvider.MAX_DOCUMENT_BYTES) {
      throw new InvalidArgumentException(ref + ": the image's config is " + cfg.size() + " bytes, more than the "
          + (ContentProvider.MAX_DOCUMENT_BYTES >> 20) + " MiB a config may be");
    }
    fetchConfig(e, ref.path(), cfg.digest());
    ImageConfig config = ManifestJson.parseConfig(content.readAll(cfg.digest()));
    if (config.diffIds().size() != image.layers().size()) {
      throw new InvalidArgumentException(ref + ": config lists " + config.diffIds().size() + " layers, manifest "
          + image.layers().size());
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < image.layers().size(); i++) {
        Descriptor layer = image.layers().get(i);
        Digest diffId = config.diffIds().get(i);
        jobs.add(pool.submit(() -> fetchLayer(e, ref.path(), layer, diffId, progress)));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } catch (ExecutionException ex) {
      throw ex.getCause() instanceof PeapodException p ? p
          : new InternalException("pull " + ref + ": " + ex.getCause(), ex.getCause());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted pulling " + ref, ex);
    }
    content.ingest(new ByteArrayInputStream(m.bytes()), Optional.of(digest));
    long size = cfg.size() + image.layers().stream().mapToLong(Descriptor::size).sum();
    return new ImportedImage(digest, cfg.digest(), size, List.of(ref.toString()));
  }

  private Descriptor select(ManifestDocument.Index index, ImageRef ref) {
    Platform here = Platform.current();
    return index.manifests().stream().filter(d -> d.platform().map(p -> p.matches(here)).orElse(false)).findFirst()
        .orElseThrow(() -> new NotFoundException(ref + ": no image for " + here.os() + "/" + here.architecture()
            + " in the index (it has " + index.manifests().stream().map(d -> d.platform().map(p -> p.os() + "/"
                + p.architecture()).orElse("?")).toList() + ")"));
  }

  private Digest verify(byte[] bytes, Optional<Digest> expected, Endpoint e, String repo) {
    Digest actual = Digest.ofBytes(sha256().digest(bytes));
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new InvalidArgumentException(e.base().getAuthority() + "/" + repo + ": manifest digest mismatch: asked for "
          + expected.get() + ", got " + actual);
    }
    return actual;
  }

  /// Fetches the config blob into the content store, unless it is there.
  private void fetchConfig(Endpoint e, String repo, Digest digest) {
    blobLocks.withLock(digest, () -> {
      if (!content.exists(digest)) {
        RegistryClient.Blob b = client.blob(e, repo, digest.toString());
        try (InputStream in = new Download(b, e, digest, n -> { })) {
          content.ingest(in, Optional.of(digest));
        } catch (IOException ex) {
          throw new UnavailableException("download " + digest + ": " + ex.getMessage(), ex);
        }
      }
    });
  }

  /// Streams a layer from the registry through both checks into the layer store: the unpacker checks
  /// the diff id, the stream under it the blob's digest and size, and the layer is renamed into place
  /// only when both hold. The compressed blob is not kept (as CRI-O does, and containerd with
  /// `discard_unpacked_layers`): the unpacked layer is the image's copy, and a layer whose diff id is
  /// already unpacked is not fetched at all, from whichever registry it came.
  private void fetchLayer(Endpoint e, String repo, Descriptor layer, Digest diffId, Consumer<PullProgress> progress) {
    String id = layer.digest().shortId();
    boolean[] fetched = {false};
    layers.ensure(diffId, () -> {
      fetched[0] = true;
      RegistryClient.Blob b = client.blob(e, repo, layer.digest().toString());
      long total = layer.size() > 0 ? layer.size() : b.length();
      return new VerifyingInputStream(new Download(b, e, layer.digest(),
          n -> progress.accept(new PullProgress(id, "downloading", n, total))), layer.digest(), layer.size());
    });
    progress.accept(new PullProgress(id, fetched[0] ? "done" : "exists", layer.size(), layer.size()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new InternalException("sha256 unavailable", ex);
    }
  }

  /// A blob's bytes as they arrive: counts them for progress (reported at most every 100 ms: a bar
  /// needs no more, and each report is a line the client parses), and turns a cut connection (an I/O
  /// error, or an end before the response's Content-Length) into [UnavailableException], worth
  /// retrying, so the unpacker reading it does not take it for a bad tar or a wrong blob.
  private static final class Download extends FilterInputStream {
    private static final long REPORT_EVERY_NANOS = 100_000_000;
    private final long length;
    private final Endpoint endpoint;
    private final Digest digest;
    private final Consumer<Long> report;
    private long count;
    private long reportedAt = System.nanoTime();

    Download(RegistryClient.Blob blob, Endpoint endpoint, Digest digest, Consumer<Long> report) {
      super(blob.stream());
      this.length = blob.length();
      this.endpoint = endpoint;
      this.digest = digest;
      this.report = report;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException ex) {
        throw new UnavailableException("download " + digest + " from " + endpoint.base() + ": " + ex.getMessage(), ex);
      }
      if (n < 0 && length >= 0 && count < length) {
        throw new UnavailableException("download " + digest + " from " + endpoint.base() + ": the connection closed"
            + " after " + count + " of " + length + " bytes; nothing was stored, pull again");
      }
      if (n > 0) {
        count += n;
        long now = System.nanoTime();
        if (now - reportedAt >= REPORT_EVERY_NANOS) {
          reportedAt = now;
          report.accept(count);
        }
      }
      return n;
    }
  }
}
