package io.peapod.kubelet.event;

/// Where the kubelet reports what happened to a pod.
public interface EventRecorder {
  /// The pod an event is about.
  record PodRef(String namespace, String name, String uid) {}

  void record(PodRef pod, String type, String reason, String message);

  default void normal(PodRef pod, String reason, String message) {
    record(pod, Event.NORMAL, reason, message);
  }

  default void warning(PodRef pod, String reason, String message) {
    record(pod, Event.WARNING, reason, message);
  }
}
