package io.peapod.kubelet.admission;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.AlreadyExistsException;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.event.EventStore;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.MetadataKeys;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodUpdates;
import io.peapod.kubelet.pod.PodCondition;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.pod.StoredStatus;
import io.peapod.kubelet.sync.PodSpecs;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/// Records pods the kubelet is to run. A new pod is stored with a fresh uid and `Pending`; an existing
/// one is updated in place when only what may change did (see [PodUpdates]), and its worker replaces
/// the containers whose spec changed. Every change wakes the pod's worker through `signal`.
public final class PodAdmission {
  /// What `admit` does with a pod that exists.
  public enum Mode {
    /// Create it, or update it as `kubectl apply` does.
    APPLY,
    /// Create it; an existing pod of that name is an error (a controller's new pod).
    CREATE
  }

  private final PodStore store;
  private final PodSpecs specs;
  private final EventStore events;
  private final InstantSource clock;
  private final String nodeName;
  private final Consumer<String> signal;
  private final ManifestParser parser = new ManifestParser();
  /// By `namespace/name`: admitting and deleting one pod happen one at a time.
  private final KeyedLock<String> names = new KeyedLock<>();

  public PodAdmission(PodStore store, PodSpecs specs, EventStore events, InstantSource clock, String nodeName,
      Consumer<String> signal) {
    this.store = store;
    this.specs = specs;
    this.events = events;
    this.clock = clock;
    this.nodeName = nodeName;
    this.signal = signal;
  }

  /// Stores the pod, or updates it; returns `created`, `configured` or `unchanged`. With `dryRun`, the
  /// same checks run and the same answer comes back, but nothing is stored.
  public String admit(PodDocument given, String source, Mode mode, boolean dryRun) {
    return names.withLock(given.pod().namespace() + "/" + given.pod().name(), () -> {
      Optional<PodRecord> existing = store.find(given.pod().namespace(), given.pod().name());
      PodDocument d = existing.isPresent() ? keepEphemeral(existing.get(), given) : given;
      PodManifest pod = d.pod();
      if (existing.isEmpty()) {
        if (!pod.ephemeralContainers().isEmpty()) {
          throw new InvalidArgumentException("The Pod \"" + pod.name() + "\" is invalid: spec.ephemeralContainers:"
              + " Forbidden: cannot be set on create; add one to the running pod with peapod debug");
        }
        if (!dryRun) {
          insert(d, source);
        }
        return "created";
      }
      PodRecord e = existing.get();
      if (mode == Mode.CREATE) {
        throw new AlreadyExistsException("pod " + pod.namespace() + "/" + pod.name() + " already exists");
      }
      if (e.isStatic() != !source.equals(PodRecord.API)) {
        throw new AlreadyExistsException("pod " + pod.namespace() + "/" + pod.name() + " is "
            + (e.isStatic() ? "a static pod from " + e.source() + "; edit that file instead"
                : "not a static pod; delete it before putting one of that name in " + source));
      }
      if (e.deleting()) {
        throw new AlreadyExistsException("pod " + pod.namespace() + "/" + pod.name() + " is being deleted; apply"
            + " it again once it is gone");
      }
      if (e.manifest().equals(canonical(pod))) {
        return "unchanged";
      }
      PodUpdates.check(specs.of(e), pod);
      if (!dryRun) {
        update(e, pod, d.yaml());
      }
      return "configured";
    });
  }

  /// Ephemeral containers are changed only through [#addEphemeralContainer], as the API server keeps
  /// them out of pod updates: a document without any keeps the pod's, one with others is refused.
  private PodDocument keepEphemeral(PodRecord e, PodDocument d) {
    List<PodManifest.EphemeralContainer> current = specs.of(e).ephemeralContainers();
    if (ManifestParser.specField(d.yaml(), "ephemeralContainers").isPresent()) {
      if (!d.pod().ephemeralContainers().equals(current)) {
        throw new InvalidArgumentException("The Pod \"" + e.name() + "\" is invalid: spec.ephemeralContainers:"
            + " Forbidden: ephemeral containers are added with peapod debug, not changed by apply");
      }
      return d;
    }
    if (current.isEmpty()) {
      return d;
    }
    String yaml = ManifestParser.withSpec(d.yaml(), "ephemeralContainers",
        ManifestParser.specField(e.document(), "ephemeralContainers").orElseThrow());
    return new PodDocument(parser.parse(yaml, "pod " + e.namespace() + "/" + e.name()).pods().getFirst().pod(), yaml);
  }

  /// `debug`: adds an ephemeral container (its spec as the manifest writes one) to a running pod, as the
  /// API server's `ephemeralcontainers` subresource does; the pod's worker starts it.
  public void addEphemeralContainer(String namespace, String name, Map<String, Object> container) {
    names.withLock(namespace + "/" + name, () -> {
      PodRecord e = store.find(namespace, name).orElseThrow(() -> new NotFoundException("pod " + namespace + "/"
          + name + " not found"));
      if (e.isStatic()) {
        throw new FailedPreconditionException("pod " + namespace + "/" + name + " is a static pod from " + e.source()
            + "; ephemeral containers cannot be added to it");
      }
      if (e.deleting() || e.status().terminal()) {
        throw new FailedPreconditionException("pod " + namespace + "/" + name + " is "
            + (e.deleting() ? "being deleted" : e.status().phase()) + "; an ephemeral container needs a running pod");
      }
      List<Object> list = new java.util.ArrayList<>();
      ManifestParser.specField(e.document(), "ephemeralContainers").ifPresent(l -> list.addAll((List<?>) l));
      list.add(container);
      String yaml = ManifestParser.withSpec(e.document(), "ephemeralContainers", list);
      PodManifest pod = parser.parse(yaml, "pod " + namespace + "/" + name).pods().getFirst().pod();
      update(e, pod, yaml);
      return null;
    });
  }

  private void insert(PodDocument d, String source) {
    PodManifest pod = d.pod();
    String uid = UUID.randomUUID().toString();
    Instant now = clock.instant();
    StoredStatus status = new StoredStatus("Pending", "", "", Optional.of(now), List.of(
        new PodCondition(PodCondition.SCHEDULED, "True", now, "", "")));
    store.insert(new PodRecord(uid, pod.namespace(), pod.name(), canonical(pod), d.yaml(), now,
        pod.terminationGracePeriodSeconds(), Optional.empty(), 0, false, source, status));
    specs.put(uid, pod);
    events.normal(new EventRecorder.PodRef(pod.namespace(), pod.name(), uid), "Scheduled",
        "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + nodeName);
    signal.accept(uid);
  }

  private void update(PodRecord e, PodManifest pod, String yaml) {
    store.updateSpec(e.uid(), canonical(pod), yaml);
    specs.put(e.uid(), pod);
    signal.accept(e.uid());
  }

  /// Replaces the pod's owner references (an owner deleted with `--cascade=orphan` lets its pods go).
  public void setOwners(String namespace, String name, List<OwnerReference> owners) {
    names.withLock(namespace + "/" + name, () -> {
      PodRecord e = store.find(namespace, name).orElseThrow(() -> new NotFoundException("pod " + namespace + "/"
          + name + " not found"));
      List<Map<String, Object>> refs = owners.stream().map(OwnerReference::toMap).toList();
      String yaml = ManifestParser.withMetadata(e.document(), "ownerReferences", refs.isEmpty() ? null : refs);
      PodManifest pod = parser.parse(yaml, "pod " + namespace + "/" + name).pods().getFirst().pod();
      update(e, pod, yaml);
      return null;
    });
  }

  /// `label` / `annotate`: sets the keys of `set` and removes those of `remove` in the pod's labels or
  /// annotations (`field`). A key that has another value is changed only with `overwrite`, as kubectl
  /// refuses otherwise. Returns whether anything changed.
  public boolean setMetadata(String namespace, String name, String field, Map<String, String> set,
      List<String> remove, boolean overwrite) {
    boolean labels = field.equals("labels");
    set.forEach((k, v) -> {
      MetadataKeys.checkKey(k, labels ? "label" : "annotation");
      if (labels) {
        MetadataKeys.checkLabelValue(k, v);
      }
    });
    return names.withLock(namespace + "/" + name, () -> {
      PodRecord e = store.find(namespace, name).orElseThrow(() -> new NotFoundException("pod " + namespace + "/"
          + name + " not found"));
      if (e.isStatic()) {
        throw new FailedPreconditionException("pod " + namespace + "/" + name + " is a static pod from " + e.source()
            + "; change its labels and annotations in that file");
      }
      PodManifest current = specs.of(e);
      Map<String, String> now = new java.util.LinkedHashMap<>(labels ? current.labels() : current.annotations());
      for (Map.Entry<String, String> kv : set.entrySet()) {
        String old = now.get(kv.getKey());
        if (old != null && !old.equals(kv.getValue()) && !overwrite) {
          throw new FailedPreconditionException("'" + kv.getKey() + "' already has a value (" + old + "), and"
              + " --overwrite is false");
        }
      }
      Map<String, String> next = new java.util.LinkedHashMap<>(now);
      next.putAll(set);
      remove.forEach(next::remove);
      if (next.equals(now)) {
        return false;
      }
      String yaml = ManifestParser.withMetadata(e.document(), field, next.isEmpty() ? null : next);
      PodManifest pod = parser.parse(yaml, "pod " + namespace + "/" + name).pods().getFirst().pod();
      update(e, pod, yaml);
      return true;
    });
  }

  /// The stored form of a manifest: the validated record's text, so an unchanged re-apply compares equal.
  public static String canonical(PodManifest pod) {
    return pod.toString();
  }

  /// Runs `work` holding the pod name's lock, as deletions of one pod do.
  public <T> T locked(String namespace, String name, java.util.function.Supplier<T> work) {
    return names.withLock(namespace + "/" + name, work);
  }
}
