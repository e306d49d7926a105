package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.peapod.base.json.Json;
import io.peapod.cri.v1.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// CRI v1 over gRPC on the daemon's cri.sock, driven as kubelet and crictl drive it, and checked on the
/// kernel: namespaces by inode, cgroup files, the pod's network namespace, and nothing left after removal.
class CriIT extends SharedDaemon {
  private static CriClient cri;

  @BeforeAll
  static void connect() {
    cri = new CriClient(daemon.root.resolve("run/cri.sock"));
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    cri.close();
  }

  /// A failed test still removes what it made over CRI, so the next test and the leftovers check see a
  /// clean node.
  /// The log directories a caller names are the caller's, as kubelet's are: removed here as kubelet removes
  /// them.
  @AfterEach
  void removeCriSandboxes() throws Exception {
    for (PodSandbox p : cri.runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
      if (p.getMetadata().getNamespace().equals("cri")) {
        cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
      }
    }
    try (var dirs = Files.list(daemon.root.resolve("logs"))) {
      for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("kubelet-named_")).toList()) {
        io.peapod.base.io.FileTrees.delete(d);
      }
    }
  }

  private static PodSandboxConfig sandboxConfig(String name, String uid) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("cri").setUid(uid).setAttempt(0))
        .setHostname(name).setLogDirectory(daemon.root.resolve("logs/kubelet-named_" + name).toString())
        .putLabels("app", name).putAnnotations("note", "from-cri")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/besteffort/pod" + uid)
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(NamespaceOption
                .newBuilder().setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD))))
        .build();
  }

  private static ContainerConfig containerConfig(String name, String... command) {
    return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(busyboxId())).addAllCommand(List.of(command))
        .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue(com.google.protobuf.ByteString.copyFromUtf8("hi")))
        .setLogPath(name + "/0.log").putLabels("tier", name).putAnnotations("owner", "critest")
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))))
        .build();
  }

  /// kubelet creates containers from the image id ImageStatus gives it.
  private static String busyboxId() {
    return cri.images.imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("busybox")).build()).getImage().getId();
  }

  private static int infoPid(Map<String, String> info) {
    return (int) Json.parseNode(info.get("info")).get("pid").asLong(0);
  }

  private static String ns(int pid, String kind) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + kind)).toString();
  }

  @Test
  void versionStatusAndConfig_andTheSocketIsRootsAlone() throws Exception {
    VersionResponse v = cri.runtime.version(VersionRequest.newBuilder().setVersion("v1").build());
    assertEquals("peapod", v.getRuntimeName());
    assertEquals("v1", v.getRuntimeApiVersion());
    RuntimeStatus s = cri.runtime.status(StatusRequest.getDefaultInstance()).getStatus();
    assertTrue(s.getConditionsList().stream().anyMatch(c -> c.getType().equals("RuntimeReady") && c.getStatus()), s
        .toString());
    assertTrue(s.getConditionsList().stream().anyMatch(c -> c.getType().equals("NetworkReady") && c.getStatus()), s
        .toString());
    assertEquals(CgroupDriver.CGROUPFS, cri.runtime.runtimeConfig(RuntimeConfigRequest.getDefaultInstance())
        .getLinux().getCgroupDriver());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        daemon.root.resolve("run/cri.sock"))));
    ListImagesResponse images = cri.images.listImages(ListImagesRequest.getDefaultInstance());
    assertTrue(images.getImagesList().stream().anyMatch(i -> i.getRepoTagsList()
        .contains("docker.io/library/busybox:latest")), images.toString());
    assertFalse(cri.images.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder()
        .setImage("no/such:image")).build()).hasImage(), "a missing image is no image, not an error");
    assertTrue(cri.images.imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0).getUsedBytes()
        .getValue() > 0);
  }

  @Test
  void sandboxAndContainerLifecycle_onTheKernel() throws Exception {
    List<ContainerEventResponse> events = new CopyOnWriteArrayList<>();
    io.grpc.Context.CancellableContext watch = io.grpc.Context.current().withCancellation();
    watch.run(() -> cri.runtimeAsync.getContainerEvents(GetEventsRequest.getDefaultInstance(),
        new StreamObserver<>() {
          @Override
          public void onNext(ContainerEventResponse e) {
            events.add(e);
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
          }
        }));
    PodSandboxConfig sc = sandboxConfig("life", "uid-life-1");
    String sandbox = cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId();
    assertEquals(sandbox, cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId(), "RunPodSandbox of an existing sandbox returns it");
    PodSandboxStatusResponse ss = cri.runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder()
        .setPodSandboxId(sandbox.substring(0, 13)).setVerbose(true).build());
    assertEquals(PodSandboxState.SANDBOX_READY, ss.getStatus().getState());
    assertEquals("from-cri", ss.getStatus().getAnnotationsOrThrow("note"));
    int pause = infoPid(ss.getInfoMap());
    assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), ns(pause, "net"),
        "the sandbox has its own network namespace");
    assertFalse(ss.getStatus().getNetwork().getIp().isEmpty(), "CNI gave the sandbox an IP");

    String c = cri.runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
        .setConfig(containerConfig("sleeper", "sleep", "3600")).setSandboxConfig(sc).build()).getContainerId();
    cri.runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build());
    ContainerStatusResponse cs = cri.runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(c)
        .setVerbose(true).build());
    assertEquals(ContainerState.CONTAINER_RUNNING, cs.getStatus().getState());
    assertEquals("sleeper", cs.getStatus().getLabelsOrThrow("tier"));
    assertEquals("critest", cs.getStatus().getAnnotationsOrThrow("owner"));
    int pid = infoPid(cs.getInfoMap());
    assertEquals(ns(pause, "net"), ns(pid, "net"), "the container joins the sandbox's network namespace");
    assertEquals(ns(pause, "ipc"), ns(pid, "ipc"));
    assertNotEquals(ns(pause, "pid"), ns(pid, "pid"), "pid CONTAINER: its own pid namespace");
    String memoryCgroup = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
        .filter(l -> l.matches("\\d+:[^:]*\\bmemory\\b[^:]*:.*")).findFirst().orElseThrow()
        .replaceFirst("^[^:]*:[^:]*:", "");
    assertTrue(memoryCgroup.contains("/kubepods/besteffort/poduid-life-1/"), memoryCgroup);

    assertEquals(1, cri.runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter
        .newBuilder().setPodSandboxId(sandbox).putLabelSelector("tier", "sleeper")).build()).getContainersCount());
    String pods = daemon.cli("get", "pods", "-n", "cri").ok().out();
    assertTrue(pods.matches("(?s).*\\blife\\s+1/1\\s+Running.*"), "a CRI pod is a pod to peapod too: " + pods);
    String namespaces = daemon.cli("ns", "life", "-n", "cri").ok().out();
    assertTrue(namespaces.contains(ns(pid, "pid").replaceAll("\\D", "")), "its container's pid namespace inode: "
        + namespaces);
    assertEquals(0, cri.runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter
        .newBuilder().putLabelSelector("tier", "other")).build()).getContainersCount());

    ExecSyncResponse hello = cri.runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(c)
        .addAllCmd(List.of("sh", "-c", "echo $GREETING; echo oops >&2; exit 7")).setTimeout(10).build());
    assertEquals(7, hello.getExitCode());
    assertEquals("hi\n", hello.getStdout().toStringUtf8());
    assertEquals("oops\n", hello.getStderr().toStringUtf8());
    // runc waits for every holder of the exec's output, so a child left running makes the command time
    // out; the answer must still come at the timeout, not hang on the pipe the child holds.
    StatusRuntimeException held = assertThrows(StatusRuntimeException.class, () -> cri.runtime.execSync(
        ExecSyncRequest.newBuilder().setContainerId(c).addAllCmd(List.of("sh", "-c", "sleep 600 & echo quick"))
            .setTimeout(2).build()));
    assertTrue(held.getStatus().getDescription().contains("timed out after 2s"), held.getStatus().toString());
    StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> cri.runtime.execSync(
        ExecSyncRequest.newBuilder().setContainerId(c).addAllCmd(List.of("sleep", "30")).setTimeout(1).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());

    cri.runtime.updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(c)
        .setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(100L << 20)).build());
    assertEquals(String.valueOf(100L << 20), Files.readString(Path.of("/sys/fs/cgroup/memory" + memoryCgroup,
        "memory.limit_in_bytes")).trim(), "the kernel has the new limit");
    ContainerStats stats = cri.runtime.containerStats(ContainerStatsRequest.newBuilder().setContainerId(c).build())
        .getStats();
    assertTrue(stats.getMemory().getWorkingSetBytes().getValue() > 0, stats.toString());
    assertEquals(1, cri.runtime.podSandboxStats(PodSandboxStatsRequest.newBuilder().setPodSandboxId(sandbox).build())
        .getStats().getLinux().getContainersCount());

    cri.runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(c).setTimeout(1).build());
    assertEquals(ContainerState.CONTAINER_EXITED, cri.runtime.containerStatus(ContainerStatusRequest.newBuilder()
        .setContainerId(c).build()).getStatus().getState());
    assertFalse(Files.exists(Path.of("/proc/" + pid)), "the container's process is gone");
    cri.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(c).build());
    cri.runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(c).build());
    cri.runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(c).build());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> cri.runtime
        .containerStatus(ContainerStatusRequest.newBuilder().setContainerId(c).build())).getStatus().getCode());

    cri.runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    assertFalse(Files.exists(Path.of("/proc/" + pause)), "stopping the sandbox ended pause");
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    cri.runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    assertEquals(0, cri.runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter
        .newBuilder().setId(sandbox)).build()).getItemsCount());
    assertTrue(daemon.eventually(() -> events.stream().anyMatch(e -> e.getContainerId().equals(c)
        && e.getContainerEventType() == ContainerEventType.CONTAINER_STARTED_EVENT)), "events: " + events);
    watch.cancel(null);
  }

  @Test
  void execAndPortForward_overWebSocket_withSingleUseTokens() throws Exception {
    PodSandboxConfig sc = sandboxConfig("streams", "uid-streams-1").toBuilder().clearLogDirectory().build();
    String sandbox = cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId();
    String c = cri.runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
        .setConfig(containerConfig("server", "sh", "-c", "echo hello-from-pod | nc -l -p 8080; sleep 3600"))
        .build()).getContainerId();
    cri.runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build());

    String url = cri.runtime.exec(ExecRequest.newBuilder().setContainerId(c)
        .addAllCmd(List.of("sh", "-c", "read x; echo got-$x; echo err >&2; exit 3")).setStdin(true).setStdout(true)
        .setStderr(true).build()).getUrl();
    assertTrue(url.startsWith("http://127.0.0.1:"), "loopback only: " + url);
    CriClient.Channels exec = CriClient.stream(url, List.of(CriClient.message(0, "abc\n")), "v4.channel.k8s.io");
    assertEquals("v4.channel.k8s.io", exec.protocol());
    assertEquals("got-abc\n", exec.text(1));
    assertEquals("err\n", exec.text(2));
    assertTrue(exec.text(3).contains("\"reason\":\"NonZeroExitCode\"") && exec.text(3).contains("\"message\":\"3\""),
        exec.text(3));
    Exception reused = assertThrows(Exception.class, () -> CriClient.stream(url, List.of(), "v4.channel.k8s.io"));
    assertEquals(404, ((java.net.http.WebSocketHandshakeException) reused.getCause()).getResponse().statusCode(),
        "a token is good once");

    assertTrue(daemon.eventually(() -> cri.runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(c)
        .addAllCmd(List.of("sh", "-c", "netstat -ltn | grep -q :8080")).setTimeout(5).build()).getExitCode() == 0));
    String pf = cri.runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandbox).addPort(8080)
        .build()).getUrl();
    CriClient.Channels forwarded = CriClient.stream(pf, List.of(), "v4.channel.k8s.io");
    byte[] data = forwarded.data().get(0);
    assertEquals(8080, (data[0] & 0xFF) | (data[1] & 0xFF) << 8, "the data channel starts with the port");
    assertEquals("hello-from-pod\n", new String(data, 2, data.length - 2, java.nio.charset.StandardCharsets.UTF_8),
        "reached the pod's own loopback through its network namespace");

    String spdyExec = cri.runtime.exec(ExecRequest.newBuilder().setContainerId(c)
        .addAllCmd(List.of("sh", "-c", "read x; echo spdy-$x; echo e2 >&2; exit 4")).setStdin(true).setStdout(true)
        .setStderr(true).build()).getUrl();
    try (SpdyClient spdy = new SpdyClient(spdyExec, "v4.channel.k8s.io", "v3.channel.k8s.io")) {
      assertTrue(spdy.responseHead.startsWith("HTTP/1.1 101") && spdy.responseHead.contains(
          "X-Stream-Protocol-Version: v4.channel.k8s.io"), spdy.responseHead);
      int error = spdy.open(Map.of("streamtype", "error"));
      int stdin = spdy.open(Map.of("streamtype", "stdin"));
      int stdout = spdy.open(Map.of("streamtype", "stdout"));
      int stderr = spdy.open(Map.of("streamtype", "stderr"));
      spdy.data(stdin, "xyz\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
      spdy.readUntil(() -> spdy.finished.contains(error));
      assertEquals(java.util.Set.of(error, stdin, stdout, stderr), spdy.replied, "every stream is answered");
      assertEquals("spdy-xyz\n", spdy.text(stdout));
      assertEquals("e2\n", spdy.text(stderr));
      assertTrue(spdy.text(error).contains("\"message\":\"4\""), spdy.text(error));
    }
    // kubectl exec -it over WebSocket (v5): a terminal sized by channel 4, stdin on channel 0
    String wsTty = cri.runtime.exec(ExecRequest.newBuilder().setContainerId(c).addCmd("sh").setTty(true)
        .setStdin(true).setStdout(true).build()).getUrl();
    // Typed ahead, the line reaches the shell before runc has sized the container's console (runc sizes it
    // once the process runs, and the shell may read the line first: a 0x0 terminal), so the command waits a
    // moment as a person typing at the prompt would.
    CriClient.Channels terminal = CriClient.stream(wsTty, List.of(CriClient.message(4, "{\"Width\":99,\"Height\":29}"),
        CriClient.message(0, "sleep 0.3; stty size; exit 5\n")), "v5.channel.k8s.io");
    assertTrue(terminal.text(1).contains("29 99"), "the terminal took the client's size: " + terminal.text(1));
    assertTrue(terminal.text(3).contains("\"message\":\"5\""), terminal.text(3));

    // crictl exec -it: a terminal, its size from the resize stream, one output stream
    String tty = cri.runtime.exec(ExecRequest.newBuilder().setContainerId(c).addCmd("sh").setTty(true)
        .setStdin(true).setStdout(true).build()).getUrl();
    try (SpdyClient spdy = new SpdyClient(tty, "v4.channel.k8s.io")) {
      int error = spdy.open(Map.of("streamtype", "error"));
      int stdin = spdy.open(Map.of("streamtype", "stdin"));
      int stdout = spdy.open(Map.of("streamtype", "stdout"));
      int resize = spdy.open(Map.of("streamtype", "resize"));
      spdy.data(resize, "{\"Width\":101,\"Height\":31}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      Thread.sleep(200);
      spdy.data(stdin, "stty size; exit 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      spdy.readUntil(() -> spdy.finished.contains(error));
      assertTrue(spdy.text(stdout).contains("31 101"), "the terminal took the client's size: " + spdy.text(stdout));
      assertTrue(spdy.text(error).contains("\"message\":\"3\""), spdy.text(error));
    }
    cri.runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(c).addAllCmd(List.of("sh", "-c",
        "(echo again | nc -l -p 8081 >/dev/null 2>&1 &)")).setTimeout(5).build());
    assertTrue(daemon.eventually(() -> cri.runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(c)
        .addAllCmd(List.of("sh", "-c", "netstat -ltn | grep -q :8081")).setTimeout(5).build()).getExitCode() == 0));
    String spdyForward = cri.runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandbox).build())
        .getUrl();
    try (SpdyClient spdy = new SpdyClient(spdyForward, "portforward.k8s.io")) {
      int error = spdy.open(Map.of("streamtype", "error", "port", "8081", "requestid", "0"));
      int dataStream = spdy.open(Map.of("streamtype", "data", "port", "8081", "requestid", "0"));
      spdy.readUntil(() -> spdy.finished.contains(dataStream));
      assertEquals("again\n", spdy.text(dataStream), "port-forward over SPDY reached the pod: " + spdy.text(error));
      int refusedError = spdy.open(Map.of("streamtype", "error", "port", "9", "requestid", "1"));
      spdy.open(Map.of("streamtype", "data", "port", "9", "requestid", "1"));
      spdy.readUntil(() -> spdy.finished.contains(refusedError));
      assertTrue(spdy.text(refusedError).contains("port 9"), spdy.text(refusedError));
    }

    String reader = cri.runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
        .setConfig(containerConfig("reader", "sh", "-c", "read l; echo got:$l; exit 6").toBuilder().setStdin(true))
        .build()).getContainerId();
    cri.runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(reader).build());
    String attachUrl = cri.runtime.attach(AttachRequest.newBuilder().setContainerId(reader).setStdin(true)
        .setStdout(true).setStderr(true).build()).getUrl();
    CriClient.Channels attached = CriClient.stream(attachUrl, List.of(CriClient.message(0, "line\n")),
        "v5.channel.k8s.io", "v4.channel.k8s.io");
    assertEquals("v5.channel.k8s.io", attached.protocol());
    assertEquals("got:line\n", attached.text(1), "attached to the container's own stdin and stdout");
    assertTrue(attached.text(3).contains("\"message\":\"6\""), "and told how it ended: " + attached.text(3));

    Path chosen = daemon.root.resolve("logs/cri_streams_uid-streams-1");
    assertTrue(Files.isRegularFile(chosen.resolve("server/0.log")), "without a log directory, peapod picks one");
    cri.runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    assertFalse(Files.exists(chosen), "and removes it with the sandbox");
  }

  @Test
  void devices_areMadeInTheContainer_andTheDeviceCgroupAllowsOnlyWhatWasAsked() throws Exception {
    PodSandboxConfig sc = sandboxConfig("dev", "uid-dev-1");
    String sandbox = cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId();
    String c = cri.runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
        .setConfig(containerConfig("fuse", "sleep", "3600").toBuilder().addDevices(Device.newBuilder()
            .setHostPath("/dev/fuse").setContainerPath("/dev/myfuse").setPermissions("r"))).build()).getContainerId();
    cri.runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build());
    java.util.function.Function<String, Integer> run = cmd -> cri.runtime.execSync(ExecSyncRequest.newBuilder()
        .setContainerId(c).addAllCmd(List.of("sh", "-c", cmd)).setTimeout(10).build()).getExitCode();
    assertEquals(0, run.apply("test -c /dev/myfuse && : < /dev/myfuse"), "made, and readable");
    assertNotEquals(0, run.apply(": > /dev/myfuse"), "the device cgroup refuses writing");
    assertNotEquals(0, run.apply("test -e /dev/fuse"), "nothing else of the host's /dev");
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
  }

  @Test
  void aCriPod_survivesTheDaemonsDeath_withKubeletsPerPodCgroupParent() throws Exception {
    PodSandboxConfig sc = sandboxConfig("lasting", "uid-lasting-1");
    String sandbox = cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId();
    String c = cri.runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
        .setConfig(containerConfig("sleeper", "sleep", "3600")).build()).getContainerId();
    cri.runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(c).build());
    int pid = infoPid(cri.runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(c)
        .setVerbose(true).build()).getInfoMap());
    daemon.kill9();
    daemon.startProcess();
    assertTrue(Files.exists(Path.of("/proc/" + pid)), "the container outlived the daemon and its restart");
    assertEquals(ContainerState.CONTAINER_RUNNING, cri.runtime.withWaitForReady().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(c).build()).getStatus().getState(),
        "the client's channel reconnects to the new daemon");
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
    assertFalse(Files.exists(Path.of("/proc/" + pid)));
  }

  @Test
  void badInput_getsItsCode_andCreatesNothing() {
    PodSandboxConfig sc = sandboxConfig("bad", "uid-bad-1");
    String sandbox = cri.runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc).build())
        .getPodSandboxId();
    StatusRuntimeException escape = assertThrows(StatusRuntimeException.class, () -> cri.runtime.createContainer(
        CreateContainerRequest.newBuilder().setPodSandboxId(sandbox).setConfig(containerConfig("x", "true").toBuilder()
            .setLogPath("../../../etc/evil.log")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, escape.getStatus().getCode());
    assertTrue(escape.getStatus().getDescription().contains("log_path"), escape.getStatus().getDescription());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> cri.runtime
        .createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox).setConfig(
            containerConfig("y", "true").toBuilder().setImage(ImageSpec.newBuilder().setImage("no/such:image")))
            .build())).getStatus().getCode());
    assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> cri.runtime
        .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sc.toBuilder().clearMetadata()).build()))
        .getStatus().getCode());
    assertEquals(0, cri.runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter
        .newBuilder().setPodSandboxId(sandbox)).build()).getContainersCount(), "nothing half-made is left");
    cri.runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build());
  }

  @Test
  void podsFromApply_areSandboxesInCri() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("cri-apply.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: applied}
        spec:
          containers:
          - {name: main, image: busybox, command: ['sleep', '3600']}
        """).toString(), "--wait").ok();
    List<PodSandbox> items = cri.runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(
        PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.name", "applied")).build()).getItemsList();
    assertEquals(1, items.size(), items.toString());
    assertEquals(1, cri.runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter
        .newBuilder().setPodSandboxId(items.getFirst().getId()).setState(ContainerStateValue.newBuilder()
            .setState(ContainerState.CONTAINER_RUNNING))).build()).getContainersCount());
    daemon.cli("delete", "pod", "applied", "--now").ok();
  }
}
