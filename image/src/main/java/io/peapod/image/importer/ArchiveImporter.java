package io.peapod.image.importer;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.image.content.ContentIngester.Blob;
import io.peapod.image.content.ContentProvider;
import io.peapod.image.content.ContentStore;
import io.peapod.image.manifest.Descriptor;
import io.peapod.image.manifest.ManifestDocument;
import io.peapod.image.manifest.ManifestJson;
import io.peapod.image.manifest.MediaTypes;
import io.peapod.image.manifest.Platform;
import io.peapod.image.ref.Digest;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/// Imports a `docker save` archive or an OCI image layout archive (plain or gzip) in one pass: every
/// file is streamed into the content store as it comes (and checked against its name when the name is
/// a digest), then the archive's `index.json` or `manifest.json` says which images it holds.
public final class ArchiveImporter {
  private static final String BLOB_PREFIX = "blobs/sha256/";
  private final ContentStore content;

  public ArchiveImporter(ContentStore content) {
    this.content = content;
  }

  public List<ImportedImage> importArchive(InputStream archive, String sourceName) {
    Map<String, byte[]> metadata = new HashMap<>();
    Map<String, Blob> files = new HashMap<>();
    try {
      BufferedInputStream buffered = new BufferedInputStream(archive, 1 << 16);
      buffered.mark(2);
      boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
      buffered.reset();
      InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
      TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isFile()) {
          continue;
        }
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        if (name.equals("index.json") || name.equals("manifest.json") || name.equals("oci-layout")
            || name.equals("repositories")) {
          byte[] json = tar.readNBytes(ContentProvider.MAX_DOCUMENT_BYTES + 1);
          if (json.length > ContentProvider.MAX_DOCUMENT_BYTES) {
            throw new InvalidArgumentException(sourceName + ": " + name + " is larger than "
                + (ContentProvider.MAX_DOCUMENT_BYTES >> 20) + " MiB; not an image archive's metadata");
          }
          metadata.put(name, json);
        } else {
          Optional<Digest> expected = name.startsWith(BLOB_PREFIX)
              ? Optional.of(new Digest(name.substring(BLOB_PREFIX.length()))) : Optional.empty();
          files.put(name, content.ingest(tar, expected));
        }
      }
    } catch (IOException ex) {
      throw new InvalidArgumentException(sourceName + ": not a readable image archive (" + ex.getMessage() + ")", ex);
    }
    if (metadata.containsKey("index.json")) {
      return fromOciLayout(metadata.get("index.json"), sourceName);
    }
    if (metadata.containsKey("manifest.json")) {
      return fromDockerSave(metadata.get("manifest.json"), files, sourceName);
    }
    throw new InvalidArgumentException(sourceName + ": neither an OCI image layout (no index.json) nor a docker save"
        + " archive (no manifest.json)");
  }

  private List<ImportedImage> fromOciLayout(byte[] indexJson, String sourceName) {
    List<ImportedImage> out = new ArrayList<>();
    ManifestDocument doc = ManifestJson.parseDocument(indexJson, MediaTypes.OCI_INDEX);
    if (!(doc instanceof ManifestDocument.Index index)) {
      throw new InvalidArgumentException(sourceName + ": index.json is not an image index");
    }
    for (Descriptor d : index.manifests()) {
      Descriptor image = selectPlatform(d, sourceName);
      ManifestDocument.Image m = readImageManifest(image, sourceName);
      String refName = d.annotations().getOrDefault("io.containerd.image.name",
          d.annotations().getOrDefault("org.opencontainers.image.ref.name", ""));
      out.add(new ImportedImage(image.digest(), m.config().digest(), sizeOf(m), refName.isEmpty() ? List.of() : List.of(refName)));
    }
    return out;
  }

  /// Follows an index entry down to the image manifest for this node's platform.
  private Descriptor selectPlatform(Descriptor d, String sourceName) {
    if (!MediaTypes.isIndex(d.mediaType())) {
      return d;
    }
    requireBlob(d.digest(), sourceName);
    ManifestDocument doc = ManifestJson.parseDocument(content.readAll(d.digest()), d.mediaType());
    if (!(doc instanceof ManifestDocument.Index index)) {
      return d;
    }
    Platform here = Platform.current();
    for (Descriptor m : index.manifests()) {
      if (m.platform().map(p -> p.matches(here)).orElse(false)) {
        return selectPlatform(m, sourceName);
      }
    }
    throw new InvalidArgumentException(sourceName + ": image index " + d.digest() + " has no manifest for "
        + here.os() + "/" + here.architecture());
  }

  private ManifestDocument.Image readImageManifest(Descriptor d, String sourceName) {
    requireBlob(d.digest(), sourceName);
    ManifestDocument doc = ManifestJson.parseDocument(content.readAll(d.digest()), d.mediaType());
    if (!(doc instanceof ManifestDocument.Image m)) {
      throw new InvalidArgumentException(sourceName + ": " + d.digest() + " is not an image manifest");
    }
    requireBlob(m.config().digest(), sourceName);
    m.layers().forEach(l -> requireBlob(l.digest(), sourceName));
    return m;
  }

  private void requireBlob(Digest digest, String sourceName) {
    if (!content.exists(digest)) {
      throw new InvalidArgumentException(sourceName + ": the archive names blob " + digest + " but does not contain it");
    }
  }

  private static long sizeOf(ManifestDocument.Image m) {
    return m.config().size() + m.layers().stream().mapToLong(Descriptor::size).sum();
  }

  private List<ImportedImage> fromDockerSave(byte[] manifestJson, Map<String, Blob> files, String sourceName) {
    List<ImportedImage> out = new ArrayList<>();
    for (JsonNode entry : Json.parseNode(new String(manifestJson, StandardCharsets.UTF_8)).list()) {
      String configPath = entry.get("Config").text("");
      Blob config = files.get(configPath);
      if (config == null) {
        throw new InvalidArgumentException(sourceName + ": manifest.json names config '" + configPath + "' which is missing");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (String layerPath : entry.get("Layers").strings()) {
        Blob layer = files.get(layerPath);
        if (layer == null) {
          throw new InvalidArgumentException(sourceName + ": manifest.json names layer '" + layerPath + "' which is missing");
        }
        layers.add(Descriptor.of(isGzip(layer.digest()) ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER,
            layer.digest(), layer.size()));
      }
      Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config.digest(), config.size());
      int expected = ManifestJson.parseConfig(content.readAll(config.digest())).diffIds().size();
      if (expected != layers.size()) {
        throw new InvalidArgumentException(sourceName + ": config lists " + expected + " layers but manifest.json "
            + layers.size());
      }
      byte[] manifest = ManifestJson.writeManifest(configDesc, layers);
      Blob stored = content.ingest(new ByteArrayInputStream(manifest), Optional.empty());
      long size = config.size() + layers.stream().mapToLong(Descriptor::size).sum();
      out.add(new ImportedImage(stored.digest(), config.digest(), size, entry.get("RepoTags").strings()));
    }
    return out;
  }

  private boolean isGzip(Digest digest) {
    try (InputStream in = content.open(digest)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      throw new InvalidArgumentException("read layer " + digest + ": " + e.getMessage(), e);
    }
  }
}
