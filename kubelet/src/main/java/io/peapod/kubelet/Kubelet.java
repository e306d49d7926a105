package io.peapod.kubelet;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.concurrent.Timers;
import io.peapod.base.labels.LabelSelector;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.UnavailableException;
import io.peapod.kubelet.admission.PodAdmission;
import io.peapod.kubelet.admission.PodDeletion;
import io.peapod.kubelet.admission.PodDeletion.Deleted;
import io.peapod.kubelet.event.Event;
import io.peapod.kubelet.event.EventStore;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.image.ImageSource;
import io.peapod.kubelet.lifecycle.HookRunner;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.ParsedManifests;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.podspec.Environment;
import io.peapod.kubelet.podspec.SecurityContexts;
import io.peapod.kubelet.volume.VolumeFiles;
import io.peapod.kubelet.admission.DataObjects;
import io.peapod.kubelet.admission.NodeAdmission;
import io.peapod.kubelet.stats.UsageSampler;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.pod.ApplyResult;
import io.peapod.kubelet.pod.CriPods;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.probe.GrpcHealthClient;
import io.peapod.kubelet.probe.HttpCheck;
import io.peapod.kubelet.probe.ProbeManager;
import io.peapod.kubelet.probe.ProbeStates;
import io.peapod.kubelet.probe.Prober;
import io.peapod.kubelet.restart.CrashLoopBackOff;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.staticpod.StaticPodSource;
import io.peapod.kubelet.status.PodStatusBuilder;
import io.peapod.kubelet.status.PodWaits;
import io.peapod.kubelet.sync.PodChanges;
import io.peapod.kubelet.sync.PodSpecs;
import io.peapod.kubelet.sync.SyncLoop;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.state.Database;
import io.peapod.sys.Syscalls;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/// The kubelet layer as the daemon's API sees it: manifests in (`apply`, static pod files), pods out
/// (`get`, `list`, `watch`, events), deletions. Accepting a pod only records it; its worker in the
/// [SyncLoop] does the rest, as kubelet's pod workers do, and reports through the pod's status and
/// events. This class wires the layer's parts and owns no lifecycle logic itself.
public final class Kubelet implements AutoCloseable {
  private static final Duration TOP_WINDOW = Duration.ofMillis(500);
  private final KubeletConfig config;
  private final RuntimeService runtime;
  private final DataObjects dataObjects;
  private final InstantSource clock;
  private final PodStore store;
  private final EventStore events;
  private final PodSpecs specs = new PodSpecs();
  private final PodWaits waits = new PodWaits();
  private final PodChanges changes = new PodChanges();
  private final VolumeManager volumes;
  private final ProbeManager probes;
  private final PodStatusBuilder statuses;
  private final SyncLoop loop;
  private final ManifestParser parser = new ManifestParser();
  private final PodAdmission admission;
  private final PodDeletion deletion;
  private final Optional<StaticPodSource> staticPods;
  private final CriPods criPods;
  private final NodeAdmission nodeAdmission;

  public Kubelet(KubeletConfig config, RuntimeService runtime, ImageSource images, DataStore data, Database db,
      Syscalls sys, GrpcHealthClient grpc, Timers timers, InstantSource clock, Executor executor) {
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
    this.store = new PodStore(db);
    this.events = new EventStore(db, clock);
    long nodeCpuMilli = Runtime.getRuntime().availableProcessors() * 1000L;
    Environment environment = new Environment(data, nodeCpuMilli, config.nodeMemoryBytes());
    this.volumes = new VolumeManager(sys, config.podsRoot(), new VolumeFiles(data, environment),
        config.nodeMemoryBytes());
    SecurityContexts security = new SecurityContexts(config.security());
    this.nodeAdmission = new NodeAdmission(security);
    Prober prober = new Prober(runtime, new HttpCheck(), grpc);
    this.probes = new ProbeManager(prober, timers, executor, clock, new ProbeStates(db), events);
    this.statuses = new PodStatusBuilder(new PodStatusBuilder.Health() {
      @Override
      public boolean started(String containerId) {
        return probes.started(containerId);
      }

      @Override
      public boolean ready(String containerId) {
        return probes.ready(containerId);
      }
    }, new TerminationMessages(volumes), config.nodeName());
    CrashLoopBackOff crashLoop = new CrashLoopBackOff(config.backOff(), config.maxBackOff(), clock, db);
    ImageManager imageManager = new ImageManager(images, new BackOff(config.backOff(), config.maxBackOff(),
        clock), executor);
    this.loop = new SyncLoop(store, specs, runtime, imageManager, data, volumes,
        new RuntimeConfigs(config.logRoot(), config.nodeResolvConf(), config.nodeMemoryBytes(), security),
        new HookRunner(prober, d -> Thread.sleep(d)), probes, crashLoop,
        new BackOff(config.backOff(), config.maxBackOff(), clock), waits, statuses, events, changes, timers,
        clock, executor, config.nodeHosts(), new SyncLoop.Node(environment, sys, config.nodeName(), config.nodeIp()));
    probes.onChange(loop::signal);
    this.admission = new PodAdmission(store, specs, events, clock, config.nodeName(), loop::signal);
    this.dataObjects = new DataObjects(data, store, specs, loop::signal);
    this.deletion = new PodDeletion(store, changes, clock, loop::signal, this::view);
    this.criPods = new CriPods(runtime);
    this.staticPods = config.staticPodPath().map(dir -> new StaticPodSource(dir, new StaticPods(this, parser, store, config.nodeName()), timers));
  }

  /// Reconciles with what the runtime has and starts every pod's worker; then static pods.
  public void start() {
    volumes.releaseAllStaging();
    Set<String> known = new HashSet<>();
    store.list(Optional.empty()).forEach(p -> known.add(p.uid()));
    for (SandboxStatus s : runtime.listPodSandboxes(Optional.empty())) {
      if (s.config().labels().containsKey(RuntimeConfigs.MANAGED_BY) && !known.contains(s.podUid())) {
        loop.signal(s.podUid());
      }
    }
    for (String uid : volumes.podUids()) {
      if (!known.contains(uid)) {
        volumes.tearDown(uid);
      }
    }
    loop.start(known);
    staticPods.ifPresent(StaticPodSource::start);
  }

  // ---- accepting pods ------------------------------------------------------------------------------

  /// Validates every object of the file first, then stores its ConfigMaps and Secrets (pods that mount
  /// them see the change) and admits its pods (created,
  /// updated within what a pod may change, or unchanged).
  public ApplyResult apply(String yaml, String source) {
    return apply(parser.parse(yaml, source), source, false);
  }

  /// [#apply(String, String)] for objects already read; with `dryRun`, everything is checked and
  /// nothing is stored.
  public ApplyResult apply(ParsedManifests parsed, String source, boolean dryRun) {
    parsed.dataObjects().forEach(DataStore::validate);
    parsed.pods().forEach(d -> checkNode(d.pod(), source));
    List<String> results = new ArrayList<>();
    List<ApplyResult.Applied> objects = new ArrayList<>();
    String suffix = dryRun ? " (server dry run)" : "";
    for (DataObject s : parsed.dataObjects()) {
      String action = dataObjects.apply(s, dryRun);
      results.add(s.ref() + " " + action + suffix);
      objects.add(new ApplyResult.Applied(s.kind().kind(), s.namespace(), s.name(), action));
    }
    for (PodDocument d : parsed.pods()) {
      PodManifest pod = d.pod();
      String result = admission.admit(d, PodRecord.API, PodAdmission.Mode.APPLY, dryRun);
      results.add("pod/" + pod.name() + " " + result + suffix);
      objects.add(new ApplyResult.Applied("Pod", pod.namespace(), pod.name(), result));
    }
    return new ApplyResult(results, objects, parsed.warnings());
  }

  /// Refuses a pod (or a workload's template) whose hostPath volume names a path this node lacks (unless
  /// its type makes it), or that this node's security settings do not allow.
  public void checkNode(PodManifest pod, String source) {
    nodeAdmission.check(pod, source);
  }

  /// The ConfigMaps and Secrets pods read.
  public DataObjects dataObjects() {
    return dataObjects;
  }

  /// Creates one pod a controller made from its template; a pod of that name is an
  /// [AlreadyExistsException].
  public PodView create(PodDocument d) {
    checkNode(d.pod(), d.pod().source());
    admission.admit(d, PodRecord.API, PodAdmission.Mode.CREATE, false);
    return get(d.pod().namespace(), d.pod().name());
  }

  /// `label` / `annotate` a pod: see [PodAdmission#setMetadata].
  public boolean setMetadata(String namespace, String name, String field, Map<String, String> set,
      List<String> remove, boolean overwrite) {
    return admission.setMetadata(namespace, name, field, set, remove, overwrite);
  }

  /// `debug`: adds an ephemeral container to a running pod; see [PodAdmission#addEphemeralContainer].
  public void addEphemeralContainer(String namespace, String name, Map<String, Object> container) {
    admission.addEphemeralContainer(namespace, name, container);
  }

  /// Replaces a pod's owner references (its owner was deleted with `--cascade=orphan`).
  public void setOwners(String namespace, String name, List<io.peapod.kubelet.manifest.OwnerReference> owners) {
    admission.setOwners(namespace, name, owners);
  }

  /// Records a static pod (if it is new) and wakes its worker.
  String accept(PodDocument d, String source) {
    return admission.admit(d, source, PodAdmission.Mode.APPLY, false);
  }

  // ---- deleting pods -------------------------------------------------------------------------------

  /// Asks for the pod's deletion (its containers get `graceSeconds`, or the pod's own grace); with
  /// `wait`, returns once it is gone. `force` removes the pod even where something of it cannot be
  /// cleaned up, and the result names what was left.
  public Deleted delete(String namespace, String name, Optional<Long> graceSeconds, boolean force, boolean wait) {
    PodRecord r = store.find(namespace, name).orElseThrow(() -> criPods.find(namespace, name)
        .<PeapodException>map(p -> new FailedPreconditionException("pod " + namespace + "/" + name + " was made by a"
            + " CRI client (sandbox " + p.sandboxId() + "); remove it with that client (crictl stopp/rmp)"))
        .orElseGet(() -> notFound(namespace, name)));
    if (r.isStatic()) {
      throw new FailedPreconditionException("pod " + namespace + "/" + name + " is a static pod from " + r.source()
          + "; remove that file from the manifest directory to delete it");
    }
    return deleteRecord(r, graceSeconds, force, wait);
  }

  Deleted deleteRecord(PodRecord r, Optional<Long> graceSeconds, boolean force, boolean wait) {
    return deletion.delete(r, graceSeconds, force, wait);
  }

  /// Deletes the pods, ConfigMaps and Secrets a manifest names (`delete -f`); objects already gone are reported,
  /// not an error.
  public ApplyResult deleteManifest(ParsedManifests parsed, Optional<Long> graceSeconds, boolean force) {
    List<String> results = new ArrayList<>();
    List<ApplyResult.Applied> objects = new ArrayList<>();
    List<Runnable> deletions = new ArrayList<>();
    for (PodDocument d : parsed.pods()) {
      PodManifest pod = d.pod();
      boolean found = store.find(pod.namespace(), pod.name()).isPresent();
      if (found) {
        deletions.add(() -> delete(pod.namespace(), pod.name(), graceSeconds, force, true));
      }
      results.add("pod/" + pod.name() + (found ? " deleted" : " not found"));
      objects.add(new ApplyResult.Applied("Pod", pod.namespace(), pod.name(), found ? "deleted" : "not found"));
    }
    PodDeletion.inParallel(deletions);
    for (DataObject s : parsed.dataObjects()) {
      boolean deleted = dataObjects.delete(s.kind(), s.namespace(), s.name());
      results.add(s.ref() + (deleted ? " deleted" : " not found"));
      objects.add(new ApplyResult.Applied(s.kind().kind(), s.namespace(), s.name(), deleted ? "deleted" : "not found"));
    }
    return new ApplyResult(results, objects, parsed.warnings());
  }

  // ---- reading pods --------------------------------------------------------------------------------

  public List<PodView> list(Optional<String> namespace) {
    return list(namespace, LabelSelector.EVERYTHING);
  }

  /// The pods of a namespace (or all) whose labels match `selector`: peapod's own, then those a CRI
  /// client runs.
  public List<PodView> list(Optional<String> namespace, LabelSelector selector) {
    List<PodView> all = new ArrayList<>(store.list(namespace).stream()
        .filter(r -> selector.matches(specs.of(r).labels())).map(this::view).toList());
    criPods.list(namespace).stream().filter(p -> selector.matches(p.labels())).forEach(all::add);
    return all;
  }

  public PodView get(String namespace, String name) {
    return store.find(namespace, name).map(this::view).or(() -> criPods.find(namespace, name))
        .orElseThrow(() -> notFound(namespace, name));
  }

  private PodView view(PodRecord r) {
    return statuses.build(r, specs.of(r), PodRuntimeState.read(runtime, r.uid()), waits.containers(r.uid()),
        waits.sandbox(r.uid()), clock.instant()).view();
  }

  private static NotFoundException notFound(String namespace, String name) {
    return new NotFoundException("pod " + namespace + "/" + name + " not found");
  }

  /// The node's address (a pod's `status.hostIP`, as the downward API gives it too).
  public String nodeIp() {
    return config.nodeIp().get();
  }

  /// The spec of a pod's document as applied (for `-o yaml|json|jsonpath`); empty for a pod already gone.
  public Map<String, Object> specDocument(String uid) {
    return store.byUid(uid).map(specs::document).orElse(Map.of());
  }

  /// The pod's spec, for the API's `-o yaml` and for `logs` (which container is the default).
  public PodManifest spec(String namespace, String name) {
    return specs.of(store.find(namespace, name).orElseThrow(() -> notFound(namespace, name)));
  }

  /// Tells `listener` of every pod that is added, changes or goes.
  public AutoCloseable watch(java.util.function.Consumer<PodChanges.Change> listener) {
    return changes.subscribe(listener);
  }

  /// Waits until the pod satisfies `condition` (given empty once the pod is gone); returns the view it
  /// was satisfied by, or throws [UnavailableException] after `timeout`.
  public Optional<PodView> await(String namespace, String name, Predicate<Optional<PodView>> condition,
      Duration timeout) {
    CompletableFuture<Optional<PodView>> done = new CompletableFuture<>();
    try (AutoCloseable sub = changes.subscribe(c -> {
      if (c.pod().namespace().equals(namespace) && c.pod().name().equals(name)) {
        Optional<PodView> v = c.type() == PodChanges.Change.Type.DELETED ? Optional.empty() : Optional.of(c.pod());
        if (condition.test(v)) {
          done.complete(v);
        }
      }
    })) {
      Optional<PodView> now = store.find(namespace, name).map(this::view);
      if (condition.test(now)) {
        return now;
      }
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new UnavailableException("timed out after " + timeout.toSeconds() + " s waiting for pod " + namespace
          + "/" + name, e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new io.peapod.base.error.InternalException("wait for pod " + name, e);
    }
  }

  /// The images the pods name (for image garbage collection, which must keep them).
  public Set<String> imagesInUse() {
    Set<String> images = new HashSet<>();
    for (PodRecord r : store.list(Optional.empty())) {
      PodManifest spec = specs.of(r);
      spec.allContainers().forEach(c -> images.add(c.image()));
      spec.ephemeralContainers().forEach(e -> images.add(e.container().image()));
    }
    return images;
  }

  /// What the pods of a namespace (or all, or one) use now, sampled over a short window.
  public List<UsageSampler.PodUsage> top(Optional<String> namespace, Optional<String> name)
      throws InterruptedException {
    List<UsageSampler.Target> targets = store.list(namespace).stream()
        .filter(r -> name.isEmpty() || r.name().equals(name.get()))
        .map(r -> new UsageSampler.Target(r.namespace(), r.name(), r.uid())).toList();
    if (name.isPresent() && targets.isEmpty()) {
      throw notFound(namespace.orElse("default"), name.get());
    }
    return new UsageSampler(runtime, TOP_WINDOW).sample(targets);
  }

  public List<Event> events(Optional<String> namespace) {
    return events.list(namespace);
  }

  public List<Event> eventsOf(String podUid) {
    return events.ofPod(podUid);
  }

  public AutoCloseable watchEvents(java.util.function.Consumer<Event> listener) {
    return events.subscribe(listener);
  }

  @Override
  public void close() {
    staticPods.ifPresent(StaticPodSource::close);
    loop.close();
  }
}
