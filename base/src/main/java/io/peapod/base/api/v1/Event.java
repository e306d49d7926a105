package io.peapod.base.api.v1;

import java.time.Instant;

/// A v1 Event about a pod, counted as kubelet's recorder counts repeats.
public record Event(String apiVersion, String kind, EventMeta metadata, InvolvedObject involvedObject, String type,
    String reason, String message, int count, Instant firstTimestamp, Instant lastTimestamp, Source source) {
  public record EventMeta(String name, String namespace) {}

  public record InvolvedObject(String kind, String name, String namespace, String uid) {}

  public record Source(String component) {}
}
