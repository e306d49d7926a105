package io.peapod.image.ref;

import io.peapod.base.error.InvalidArgumentException;
import java.util.Optional;
import java.util.regex.Pattern;

/// A normalized image reference: registry domain, repository path, and a tag and/or a digest.
/// `parse("busybox")` gives `docker.io/library/busybox:latest`, as docker, podman and containerd do.
public record ImageRef(String domain, String path, Optional<String> tag, Optional<Digest> digest) {
  public static final String DEFAULT_DOMAIN = "docker.io";
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

  public ImageRef {
    for (String c : path.split("/")) {
      if (!PATH_COMPONENT.matcher(c).matches()) {
        throw new InvalidArgumentException("invalid image reference: repository '" + path
            + "' must be lowercase letters, digits and separators (. _ __ -)");
      }
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throw new InvalidArgumentException("invalid image reference: registry '" + domain + "'");
    }
    tag.ifPresent(t -> {
      if (!TAG.matcher(t).matches()) {
        throw new InvalidArgumentException("invalid image reference: tag '" + t + "'");
      }
    });
  }

  public static ImageRef parse(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new InvalidArgumentException("invalid image reference: empty");
    }
    String rest = ref.trim();
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String domain = DEFAULT_DOMAIN;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
        domain = first;
        path = rest.substring(slash + 1);
      }
    }
    if (domain.equals("index.docker.io")) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new ImageRef(domain, path, tag, digest);
  }

  /// `docker.io/library/busybox`
  public String repository() {
    return domain + "/" + path;
  }

  /// The full normalized form, `docker.io/library/busybox:latest` or `...@sha256:...`.
  @Override
  public String toString() {
    return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  /// The short form users type: `busybox:latest` for Docker Hub's library, else the full name.
  public String familiar() {
    String repo = domain.equals(DEFAULT_DOMAIN) && path.startsWith("library/") ? path.substring(8)
        : domain.equals(DEFAULT_DOMAIN) ? path : repository();
    return repo + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
