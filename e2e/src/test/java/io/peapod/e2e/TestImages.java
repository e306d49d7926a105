package io.peapod.e2e;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Images the tests build and push to a [LocalRegistry]: busybox's layer as the base, and a gzip layer
/// on top whose `/etc/marker` tells a container's log which image it runs.
final class TestImages {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private TestImages() {}

  /// Pushes `repo:tag` (busybox plus a layer with `marker`, printed by the image's command before it
  /// sleeps) and returns its manifest.
  static byte[] push(LocalRegistry registry, byte[] busyboxLayer, String repo, String tag, String marker)
      throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("etc/marker", marker + "\n");
    byte[] top = Archives.layer(files);
    byte[] topGz = Archives.gzip(top);
    byte[] config = Archives.config("[\"sh\",\"-c\",\"cat /etc/marker; sleep 3600\"]", Archives.sha256(busyboxLayer),
        Archives.sha256(top)).getBytes(StandardCharsets.UTF_8);
    for (byte[] blob : List.of(busyboxLayer, topGz, config)) {
      registry.pushBlob(repo, blob);
    }
    byte[] manifest = manifest(config, desc("application/vnd.oci.image.layer.v1.tar", busyboxLayer),
        desc("application/vnd.oci.image.layer.v1.tar+gzip", topGz));
    registry.pushManifest(repo, tag, OCI_MANIFEST, manifest);
    return manifest;
  }

  /// An OCI image manifest for a config and layer descriptors.
  static byte[] manifest(byte[] config, String... layers) throws Exception {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{"
        + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + Archives.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[" + String.join(",", layers) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /// A descriptor of `blob`, as a manifest lists it.
  static String desc(String mediaType, byte[] blob) throws Exception {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + Archives.sha256(blob) + "\",\"size\":"
        + blob.length + "}";
  }
}
