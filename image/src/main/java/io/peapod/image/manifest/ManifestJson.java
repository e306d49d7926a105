package io.peapod.image.manifest;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.image.ref.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The translator between OCI/Docker JSON documents and the domain records of this package.
public final class ManifestJson {
  private ManifestJson() {}

  /// Parses a manifest or an index. `declaredType` is the media type the registry or layout declared,
  /// used when the document itself has no `mediaType` field.
  public static ManifestDocument parseDocument(byte[] json, String declaredType) {
    JsonNode n = Json.parseNode(new String(json, StandardCharsets.UTF_8));
    String mediaType = n.get("mediaType").text(declaredType == null ? "" : declaredType);
    if (n.has("manifests") || MediaTypes.isIndex(mediaType)) {
      return new ManifestDocument.Index(mediaType.isEmpty() ? MediaTypes.OCI_INDEX : mediaType,
          n.get("manifests").list().stream().map(ManifestJson::descriptor).toList());
    }
    if (!n.has("config") || n.get("schemaVersion").asLong(0) != 2) {
      throw new InvalidArgumentException("unsupported manifest (media type '" + mediaType
          + "'): want an OCI or Docker schema 2 image manifest or index");
    }
    return new ManifestDocument.Image(mediaType.isEmpty() ? MediaTypes.OCI_MANIFEST : mediaType,
        descriptor(n.get("config")), n.get("layers").list().stream().map(ManifestJson::descriptor).toList());
  }

  public static Descriptor descriptor(JsonNode n) {
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode a = n.get("annotations");
    a.keys().forEach(k -> annotations.put(k, a.get(k).text("")));
    JsonNode p = n.get("platform");
    Optional<Platform> platform = p.isMissing() ? Optional.empty()
        : Optional.of(new Platform(p.get("os").text(""), p.get("architecture").text(""), p.get("variant").text("")));
    String digest = n.get("digest").text().orElseThrow(() -> new InvalidArgumentException("descriptor without digest"));
    return new Descriptor(n.get("mediaType").text(""), Digest.parse(digest), n.get("size").asLong(-1), annotations, platform);
  }

  public static Map<String, Object> descriptorJson(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mediaType", d.mediaType());
    m.put("digest", d.digest().toString());
    m.put("size", d.size());
    if (!d.annotations().isEmpty()) {
      m.put("annotations", d.annotations());
    }
    return m;
  }

  /// Writes an OCI image manifest.
  public static byte[] writeManifest(Descriptor config, List<Descriptor> layers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    m.put("config", descriptorJson(config));
    m.put("layers", layers.stream().map(ManifestJson::descriptorJson).toList());
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  public static ImageConfig parseConfig(byte[] json) {
    JsonNode n = Json.parseNode(new String(json, StandardCharsets.UTF_8));
    JsonNode c = n.get("config");
    Map<String, String> labels = new LinkedHashMap<>();
    c.get("Labels").keys().forEach(k -> labels.put(k, c.get("Labels").get(k).text("")));
    List<Digest> diffIds = new ArrayList<>();
    n.get("rootfs").get("diff_ids").strings().forEach(s -> diffIds.add(Digest.parse(s)));
    return new ImageConfig(n.get("architecture").text(""), n.get("os").text(""), c.get("User").text(""),
        c.get("Env").strings(), c.get("Entrypoint").strings(), c.get("Cmd").strings(), c.get("WorkingDir").text(""),
        labels, c.get("StopSignal").text(""), diffIds, n.get("created").text(""));
  }

  /// Writes an OCI image config for one platform.
  public static byte[] writeConfig(ImageConfig cfg) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (!cfg.user().isEmpty()) {
      c.put("User", cfg.user());
    }
    c.put("Env", cfg.env());
    if (!cfg.entrypoint().isEmpty()) {
      c.put("Entrypoint", cfg.entrypoint());
    }
    if (!cfg.cmd().isEmpty()) {
      c.put("Cmd", cfg.cmd());
    }
    if (!cfg.workingDir().isEmpty()) {
      c.put("WorkingDir", cfg.workingDir());
    }
    if (!cfg.labels().isEmpty()) {
      c.put("Labels", cfg.labels());
    }
    if (!cfg.stopSignal().isEmpty()) {
      c.put("StopSignal", cfg.stopSignal());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("created", cfg.created());
    m.put("architecture", cfg.architecture());
    m.put("os", cfg.os());
    m.put("config", c);
    m.put("rootfs", Map.of("type", "layers", "diff_ids", cfg.diffIds().stream().map(Digest::toString).toList()));
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }
}
