package io.peapod.kubelet.manifest;

import java.util.List;

/// The pods a YAML file yields, and what the reader should be warned of (unknown or ignored fields).
public record ParsedManifests(List<PodManifest> pods, List<String> warnings) {
  public ParsedManifests {
    pods = List.copyOf(pods);
    warnings = List.copyOf(warnings);
  }
}
