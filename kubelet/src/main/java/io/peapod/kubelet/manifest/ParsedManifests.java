package io.peapod.kubelet.manifest;

import java.util.List;

/// What a YAML file yields: pods (each with its own document, re-read when the daemon restarts),
/// ConfigMaps and Secrets, and what the reader should be warned of (unknown or ignored fields).
public record ParsedManifests(List<PodDocument> pods, List<DataObject> dataObjects, List<String> warnings) {
  public ParsedManifests {
    pods = List.copyOf(pods);
    dataObjects = List.copyOf(dataObjects);
    warnings = List.copyOf(warnings);
  }

  /// A pod and the YAML of the one document that made it.
  public record PodDocument(PodManifest pod, String yaml) {}
}
