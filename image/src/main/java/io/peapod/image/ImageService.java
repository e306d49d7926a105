package io.peapod.image;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.image.content.LocalContentStore;
import io.peapod.image.importer.ArchiveImporter;
import io.peapod.image.importer.ImportedImage;
import io.peapod.image.importer.RootfsImporter;
import io.peapod.image.manifest.Descriptor;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.manifest.ManifestDocument;
import io.peapod.image.manifest.ManifestJson;
import io.peapod.image.ref.Digest;
import io.peapod.image.ref.ImageRef;
import io.peapod.image.registry.ImagePuller;
import io.peapod.image.registry.PullProgress;
import io.peapod.image.registry.RegistryClient;
import io.peapod.image.registry.RegistryConfig;
import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.image.store.ImageRecord;
import io.peapod.image.store.ImageStore;
import io.peapod.image.store.ImageUsers;
import io.peapod.image.unpack.LayerStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/// The image layer's front door: import, list, inspect, remove, and resolve a reference to unpacked
/// layers. Resolution is local only; a missing image is a [NotFoundException] naming it.
public final class ImageService {
  private static final System.Logger LOG = System.getLogger(ImageService.class.getName());
  private final LocalContentStore content;
  private final ImageStore images;
  private final LayerStore layers;
  private final ArchiveImporter archives;
  private final RootfsImporter rootfs;
  private final ImagePuller puller;
  private final List<ImageUsers> users = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<PullObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /// Hears of every pull that succeeded: how many layer bytes came from the registry (layers already
  /// here do not count) and how long it took.
  @FunctionalInterface
  public interface PullObserver {
    void pulled(String reference, long bytesFetched, java.time.Duration took);
  }

  public ImageService(LocalContentStore content, ImageStore images, LayerStore layers, Path tmpDir,
      RegistryConfig registries, ImageUsers users) {
    this.content = content;
    this.images = images;
    this.layers = layers;
    this.users.add(users);
    this.archives = new ArchiveImporter(content);
    this.rootfs = new RootfsImporter(content, tmpDir);
    this.puller = new ImagePuller(registries, new RegistryClient(), content, layers);
  }

  /// Pulls an image from its registry (or a mirror) and names it; layers are unpacked as they arrive.
  public ImageRecord pull(String reference, Consumer<PullProgress> progress) {
    return pull(reference, Map.of(), progress);
  }

  /// A pull with credentials by registry host (a pod's pull secrets) before the configured ones.
  public ImageRecord pull(String reference, Map<String, Credentials> credentials, Consumer<PullProgress> progress) {
    ImageRef ref = ImageRef.parse(reference);
    long start = System.nanoTime();
    java.util.concurrent.atomic.LongAdder fetched = new java.util.concurrent.atomic.LongAdder();
    ImportedImage pulled = puller.pull(ref, credentials, p -> {
      if (p.status().equals("done")) {
        fetched.add(p.total());
      }
      progress.accept(p);
    });
    ImageRecord r = new ImageRecord(ref, pulled.manifest(), pulled.config(), pulled.size(), Instant.now());
    images.put(r);
    java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
    observers.forEach(o -> o.pulled(reference, fetched.sum(), took));
    return r;
  }

  public void addPullObserver(PullObserver observer) {
    observers.add(observer);
  }

  /// Imports an OCI layout or `docker save` archive; `tag`, when given, names the (single) image.
  public List<ImageRecord> importArchive(Path file, Optional<String> tag) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidArgumentException("image archive " + file + " does not exist or is not a file");
    }
    List<ImportedImage> imported;
    try (InputStream in = Files.newInputStream(file)) {
      imported = archives.importArchive(in, file.toString());
    } catch (IOException e) {
      throw new InvalidArgumentException("read image archive " + file + ": " + e.getMessage(), e);
    }
    if (tag.isPresent() && imported.size() != 1) {
      throw new InvalidArgumentException("--tag needs an archive with exactly one image; " + file + " has "
          + imported.size());
    }
    List<ImageRecord> out = new ArrayList<>();
    try {
      for (ImportedImage i : imported) {
        List<String> names = tag.map(List::of).orElse(i.names());
        if (names.isEmpty()) {
          throw new InvalidArgumentException(file + ": image " + i.manifest() + " has no name in the archive; give"
              + " one with --tag NAME");
        }
        for (String n : names) {
          out.add(store(i, n));
        }
      }
    } catch (RuntimeException e) {
      out.forEach(r -> images.remove(r.name()));
      collectGarbage();
      throw e;
    }
    return out;
  }

  public ImageRecord importRootfs(Path source, String tag, List<String> changes) {
    ImageRef.parse(tag);
    try {
      return store(rootfs.importRootfs(source, tag, changes), tag);
    } catch (RuntimeException e) {
      collectGarbage();
      throw e;
    }
  }

  /// Names the image, then unpacks its layers at once: an unsafe or corrupt layer is refused at import
  /// (and the name taken back), not when a pod first uses it.
  private ImageRecord store(ImportedImage i, String name) {
    ImageRecord r = new ImageRecord(ImageRef.parse(name), i.manifest(), i.config(), i.size(), Instant.now());
    Optional<ImageRecord> previous = images.byName(r.name());
    images.put(r);
    try {
      resolve(r.name().toString());
    } catch (RuntimeException e) {
      images.remove(r.name());
      previous.ifPresent(images::put);
      throw e;
    }
    return r;
  }

  public List<ImageRecord> list() {
    return images.list();
  }

  /// Finds an image by name (`busybox`), full reference, `name@sha256:...`, or id prefix (`3f57d9401f8d`).
  public Optional<ImageRecord> find(String reference) {
    String ref = reference.startsWith("sha256:") ? reference.substring(7) : reference;
    if (ref.matches("[a-f0-9]{6,64}")) {
      List<ImageRecord> byId = images.byIdPrefix(ref);
      if (!byId.isEmpty()) {
        return Optional.of(byId.getFirst());
      }
    }
    ImageRef parsed = ImageRef.parse(reference);
    if (parsed.digest().isPresent()) {
      return images.byManifest(parsed.digest().get()).stream().findFirst();
    }
    return images.byName(parsed);
  }

  public ImageRecord get(String reference) {
    return find(reference).orElseThrow(() -> new NotFoundException("image " + reference + " not found in the local store"
        + " (looked for " + describe(reference) + "); import it with 'peapod image import'"));
  }

  private static String describe(String reference) {
    try {
      return ImageRef.parse(reference).toString();
    } catch (InvalidArgumentException e) {
      return reference;
    }
  }

  public ImageConfig config(ImageRecord r) {
    return ManifestJson.parseConfig(content.readAll(r.config()));
  }

  public ManifestDocument.Image manifest(Digest digest) {
    ManifestDocument doc = ManifestJson.parseDocument(content.readAll(digest), null);
    if (!(doc instanceof ManifestDocument.Image m)) {
      throw new InternalException("stored manifest " + digest + " is not an image manifest", null);
    }
    return m;
  }

  /// Resolves a reference to its config and unpacked layers, unpacking any layer not yet unpacked.
  public ResolvedImage resolve(String reference) {
    ImageRecord r = get(reference);
    ImageConfig cfg = config(r);
    ManifestDocument.Image m = manifest(r.manifest());
    if (cfg.diffIds().size() != m.layers().size()) {
      throw new InternalException("image " + reference + ": config has " + cfg.diffIds().size()
          + " diff ids but the manifest " + m.layers().size() + " layers", null);
    }
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor layer = m.layers().get(i);
      Digest diffId = cfg.diffIds().get(i);
      dirs.add(layers.ensure(diffId, () -> {
        if (!content.exists(layer.digest())) {
          throw new NotFoundException("image " + reference + ": layer " + diffId + " is not unpacked and its blob is"
              + " not stored; pull or import the image again");
        }
        return content.open(layer.digest());
      }));
    }
    return new ResolvedImage(r, cfg, dirs);
  }

  /// Adds another user of images (the kubelet's pods), which garbage collection asks too.
  public void addUsers(ImageUsers more) {
    users.add(more);
  }

  /// Every manifest something uses: containers', and those of the images pods name.
  private Set<Digest> manifestsInUse() {
    Set<Digest> inUse = new HashSet<>();
    for (ImageUsers u : users) {
      inUse.addAll(u.manifestsInUse());
      for (String ref : u.referencesInUse()) {
        try {
          find(ref).ifPresent(r -> inUse.add(r.manifest()));
        } catch (io.peapod.base.error.InvalidArgumentException badName) {
          // A name that is no reference cannot keep an image.
        }
      }
    }
    return inUse;
  }

  /// Removes one name; when no name points at the manifest any more, its blobs and unpacked layers go
  /// too unless another image or a container still uses them. The last name of an image a container
  /// runs is refused.
  public ImageRecord remove(String reference) {
    ImageRecord r = get(reference);
    List<ImageRecord> sameManifest = images.byManifest(r.manifest());
    if (sameManifest.size() == 1 && manifestsInUse().contains(r.manifest())) {
      throw new FailedPreconditionException("image " + r.name().familiar() + " is in use by a container; delete the pod"
          + " first");
    }
    images.remove(r.name());
    if (sameManifest.size() == 1) {
      collectGarbage();
    }
    return r;
  }

  /// Removes every image no container uses, then the blobs and layers left without an image or a
  /// container; returns the removed names.
  public List<ImageRecord> prune() {
    Set<Digest> inUse = manifestsInUse();
    List<ImageRecord> removed = new ArrayList<>();
    for (ImageRecord r : images.list()) {
      if (!inUse.contains(r.manifest())) {
        images.remove(r.name());
        removed.add(r);
      }
    }
    collectGarbage();
    return removed;
  }

  /// Deletes blobs and unpacked layers that no image name and no container references.
  private void collectGarbage() {
    Set<Digest> liveManifests = new HashSet<>(manifestsInUse());
    images.list().forEach(r -> liveManifests.add(r.manifest()));
    Set<Digest> liveBlobs = new HashSet<>();
    Set<Digest> liveLayers = new HashSet<>();
    boolean layersKnown = true;
    for (Digest m : liveManifests) {
      if (!content.exists(m)) {
        continue;
      }
      ManifestDocument.Image manifest = manifest(m);
      liveBlobs.add(m);
      liveBlobs.add(manifest.config().digest());
      manifest.layers().forEach(l -> liveBlobs.add(l.digest()));
      try {
        liveLayers.addAll(ManifestJson.parseConfig(content.readAll(manifest.config().digest())).diffIds());
      } catch (InvalidArgumentException unreadable) {
        // A config stored before configs were bounded: which layers it needs is unknown, so none is removed.
        LOG.log(System.Logger.Level.WARNING, "image GC keeps every layer: " + unreadable.getMessage());
        layersKnown = false;
      }
    }
    content.list().stream().filter(d -> !liveBlobs.contains(d)).forEach(content::delete);
    if (layersKnown) {
      layers.list().stream().filter(d -> !liveLayers.contains(d)).forEach(layers::remove);
    }
  }
}
