package io.peapod.runtime.sandbox;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.json.Json;
import io.peapod.image.ImageService;
import io.peapod.image.ResolvedImage;
import io.peapod.runtime.Rollback;
import io.peapod.runtime.RuntimeIds;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.cgroup.CgroupKill;
import io.peapod.runtime.cgroup.CgroupLayout;
import io.peapod.runtime.container.ContainerResources;
import io.peapod.runtime.container.ContainerSpecs;
import io.peapod.runtime.monitor.ConmonRequest;
import io.peapod.runtime.monitor.ContainerMonitors;
import io.peapod.runtime.monitor.Created;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.MonitorPid;
import io.peapod.runtime.monitor.MonitorWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.oci.NamespaceJoin;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.oci.ProcessUser;
import io.peapod.runtime.oci.SpecInput;
import io.peapod.runtime.snapshot.OverlaySnapshotter;
import io.peapod.runtime.snapshot.RootMounter;
import io.peapod.sys.Mount;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// The pause container of a sandbox: catatonit (or the configured sandbox image) as PID 1 of new IPC,
/// UTS and PID namespaces, in the pinned netns, under the pod's monitor (which it starts first) or under
/// conmon. Its bundle is `<run>/sandboxes/<id>/pause`; its runc id and exit file are the sandbox id.
public final class PauseContainer {
  private static final int SANDBOX_OOM_SCORE_ADJ = -998;
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private final RuntimeLayout layout;
  private final Syscalls sys;
  private final RootMounter roots;
  private final ImageService images;
  private final Optional<String> sandboxImage;
  private final PauseRootfs pauseRootfs;
  private final OverlaySnapshotter snapshots;
  private final OciSpecs specs;
  private final CgroupLayout cgroups;
  private final ContainerMonitors monitor;
  private final OciRuntime oci;
  private final ExitWatcher exitFiles;
  private final MonitorWatcher monitors;
  private final CgroupKill kills;

  public PauseContainer(RuntimeLayout layout, Syscalls sys, ImageService images, Optional<String> sandboxImage,
      OverlaySnapshotter snapshots, RootMounter roots, OciSpecs specs, CgroupLayout cgroups,
      ContainerMonitors monitor, OciRuntime oci, ExitWatcher exitFiles, MonitorWatcher monitors, CgroupKill kills) {
    this.kills = kills;
    this.layout = layout;
    this.sys = sys;
    this.roots = roots;
    this.images = images;
    this.sandboxImage = sandboxImage;
    this.pauseRootfs = new PauseRootfs(layout.pauseDir());
    this.snapshots = snapshots;
    this.specs = specs;
    this.cgroups = cgroups;
    this.monitor = monitor;
    this.oci = oci;
    this.exitFiles = exitFiles;
    this.monitors = monitors;
  }

  Path bundle(String id) {
    return layout.sandboxDir(id).resolve("pause");
  }

  /// Creates and starts the pause process; returns its host pid.
  int start(String id, PodSandboxConfig cfg, String netnsPath, Rollback rollback) throws IOException {
    Path bundle = bundle(id);
    Files.createDirectories(bundle);
    rollback.add(() -> stop(id, cfg.cgroupParent()));
    Path rootfs;
    Optional<Mount> overlay = Optional.empty();
    List<String> args;
    if (sandboxImage.isPresent()) {
      ResolvedImage image = images.resolve(sandboxImage.get());
      rootfs = bundle.resolve("rootfs");
      Files.createDirectories(rootfs);
      overlay = roots.place(snapshots.prepare(id, image.layers(), rootfs));
      args = ContainerSpecs.commandLine(image.config(), List.of(), List.of(), "sandbox image " + sandboxImage.get());
    } else {
      rootfs = pauseRootfs.ensure();
      args = PauseRootfs.ARGS;
    }
    List<NamespaceJoin> ns = new ArrayList<>();
    ns.add(NamespaceJoin.fresh(Namespace.MNT));
    ns.add(NamespaceJoin.fresh(Namespace.CGROUP));
    boolean podNet = cfg.namespaces().network() == NamespaceMode.POD;
    if (podNet) {
      ns.add(NamespaceJoin.join(Namespace.NET, Path.of(netnsPath)));
      ns.add(NamespaceJoin.fresh(Namespace.UTS));
    }
    if (cfg.namespaces().ipc() == NamespaceMode.POD) {
      ns.add(NamespaceJoin.fresh(Namespace.IPC));
    }
    if (cfg.namespaces().pid() != NamespaceMode.NODE) {
      ns.add(NamespaceJoin.fresh(Namespace.PID));
    }
    SpecInput in = new SpecInput(args, List.of("PATH=" + ContainerSpecs.DEFAULT_PATH), "/", ProcessUser.ROOT, rootfs,
        overlay, true, podNet ? Optional.of(cfg.hostname()) : Optional.empty(), ns, List.of(),
        cgroups.containerPath(cgroups.podPath(cfg.cgroupParent(), id), id),
        new Resources(2, 0, 0, 0, SANDBOX_OOM_SCORE_ADJ), OciSpecs.capabilities(List.of(), List.of()), false,
        List.of(), true, Optional.empty(), true, cfg.sysctls(), ContainerStdio.NONE, List.of());
    Files.writeString(bundle.resolve("config.json"), Json.pretty(specs.spec(in)));
    Created created = monitor.createPause(id, new ConmonRequest(id, "POD", bundle, bundle.resolve("pause.log"), 0,
        layout.exitDir(), layout.socketDir(), RuntimeIds.shortId(id), ContainerStdio.NONE));
    int pid = switch (created) {
      case Created.Running r -> r.pid();
      case Created.Refused r -> throw new FailedPreconditionException("the pause container of pod "
          + cfg.name() + " could not start: " + r.reason());
    };
    oci.start(id);
    return pid;
  }

  /// Whether the pause's monitor is alive; if so, it is watched from now on.
  boolean watch(String id) {
    Optional<Integer> pid = MonitorPid.read(bundle(id));
    return pid.isPresent() && monitors.watch(id, id, pid.get());
  }

  /// Kills the pause process, waits for it, and removes it and its rootfs. Safe to repeat.
  void stop(String id, String cgroupParent) {
    // Without a live monitor no exit file will come: `delete --force` below kills and reaps instead.
    boolean monitored = MonitorPid.read(bundle(id)).filter(pid -> monitors.isMonitorOf(pid, id, id)).isPresent();
    monitors.forget(id);
    if (oci.knows(id)) {
      if (!kills.killContainer(cgroupParent, id, id)) {
        oci.kill(id, "KILL", true);
      }
      try {
        if (monitored) {
          exitFiles.onExit(id).get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // The kill was sent; `delete --force` below kills again and removes what is left.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      oci.delete(id);
    }
    // On the node only with crun, or made by an older peapod (see RootMounter).
    sys.umountIfMounted(bundle(id).resolve("rootfs"));
    snapshots.remove(id);
    exitFiles.forget(id);
    monitor.stopPod(id);
    // conmon's link to the bundle; a sandbox undone while being made (its CNI ADD failed beside it) has it too.
    ContainerResources.removeAttachLink(layout, id);
  }
}
