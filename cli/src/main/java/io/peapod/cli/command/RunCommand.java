package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.api.v1.ApplyAnswer;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodList;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Yaml;
import io.peapod.cli.client.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `run NAME --image=IMAGE [-- ARGS...]` as kubectl makes a pod: label `run=NAME`, `--restart`
/// (Always by default), `--env`, `--labels`, `--port`, `--command` (the words after `--` replace the
/// image's entrypoint rather than its arguments), `--dry-run=client -o yaml` to print the pod. The pod is
/// applied like any manifest. `-i` (stdin, closed when the session ends), `-t` and `--attach` attach to
/// the container once it runs; `--rm` deletes the pod after.
///
/// The seeds' recipe, `--net=container:POD [--ipc=container:POD] [--pid=container:POD[/CONTAINER]]`,
/// adds the container to the running pod POD instead (as an ephemeral container, see [DebugCommand]):
/// it joins the pod's network, UTS and IPC namespaces, and the named container's process namespace
/// (or the pod's, when the pod shares one).
public final class RunCommand implements CliCommand {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "peapod run NAME --image=IMAGE [--restart=Always|OnFailure|Never] [--env=K=V]... [--labels=k=v,...]"
        + " [--port=N] [--command] [-i] [-t] [--rm] [--attach] [--dry-run=client -o yaml] [-n NS] [-- ARGS...]\n"
        + "       peapod run --name NAME --image=IMAGE --net=container:POD [--ipc=container:POD]"
        + " [--pid=container:POD[/CONTAINER]] [-i] [-t] [-- ARGS...]";
  }

  @Override
  public String summary() {
    return "Run an image in a new pod";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("The image to run.", "--image"),
        Flag.value("Always, OnFailure or Never (default Always).", "--restart"),
        Flag.value("An environment variable K=V (repeat for more).", "--env"),
        Flag.value("Labels k=v,k2=v2 (default run=NAME).", "-l", "--labels"),
        Flag.value("The container port to declare.", "--port"),
        Flag.value("Always, IfNotPresent or Never (default: Kubernetes' for the image's tag).",
            "--image-pull-policy"),
        Flag.bool("The words after -- are the command, not arguments to the image's.", "--command"),
        Flag.value("client: print the pod and create nothing.", "--dry-run"),
        Flag.value("yaml or json, with --dry-run=client.", "-o", "--output"),
        Flag.bool("Keep stdin open and attach to it (closed when the session ends).", "-i", "--stdin"),
        Flag.bool("Allocate a terminal for the container.", "-t", "--tty"),
        Flag.bool("Delete the pod once the attached session ends.", "--rm"),
        Flag.bool("Attach to the container once it runs (the default with -i).", "--attach"),
        Flag.value("The name (instead of NAME), as docker and podman take it.", "--name"),
        Flag.value("container:POD: join that running pod instead of making one.", "--network", "--net"),
        Flag.value("container:POD: the pod whose IPC namespace to join (the one of --net).", "--ipc"),
        Flag.value("container:POD[/CONTAINER]: whose process namespace to join.", "--pid"),
        Flag.bool("Print no informational messages.", "-q", "--quiet"), Attacher.POD_RUNNING_TIMEOUT,
        Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws IOException {
    Optional<String> named = a.value("name");
    String name = named.orElseGet(() -> a.positional(0, "the pod's name"));
    List<String> words = a.positionals().subList(named.isPresent() ? 0 : 1, a.positionals().size());
    boolean stdin = a.has("stdin");
    boolean tty = a.has("tty");
    boolean attach = stdin || a.has("attach");
    if (a.has("rm") && !attach) {
      throw new InvalidArgumentException("--rm needs the session attached (-i or --attach): the pod is deleted when"
          + " it ends");
    }
    if (a.value("net").isPresent() || a.value("ipc").isPresent() || a.value("pid").isPresent()) {
      return joinPod(a, ctx, name, words, stdin, tty, attach);
    }
    String image = a.value("image").orElseThrow(() -> new InvalidArgumentException("run needs --image=IMAGE"));
    String restart = a.value("restart", "Always");
    if (!List.of("Always", "OnFailure", "Never").contains(restart)) {
      throw new InvalidArgumentException("--restart '" + restart + "' must be Always, OnFailure or Never");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    a.value("labels").ifPresentOrElse(l -> {
      for (String kv : l.split(",")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new InvalidArgumentException("--labels '" + kv + "' must be key=value");
        }
        labels.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }, () -> labels.put("run", name));
    Map<String, Object> container = container(a, name, image, words, stdin, tty);
    if (stdin) {
      // kubectl's: the input is the attached session's, and ends with it.
      container.put("stdinOnce", true);
    }
    a.value("port").ifPresent(p -> {
      if (!p.matches("\\d{1,5}")) {
        throw new InvalidArgumentException("--port '" + p + "' must be a port number");
      }
      container.put("ports", List.of(Map.of("containerPort", Integer.parseInt(p))));
    });
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("labels", labels);
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.put("metadata", metadata);
    pod.put("spec", Map.of("restartPolicy", restart, "containers", List.of(container)));
    String dryRun = a.value("dry-run", "none");
    String yaml = Yaml.write(pod);
    if (dryRun.equals("client")) {
      ctx.io().out().print(a.value("output", "yaml").equals("json") ? io.peapod.base.json.Json.pretty(pod) : yaml);
      return 0;
    }
    if (!dryRun.equals("none")) {
      throw new InvalidArgumentException("--dry-run '" + dryRun + "' must be client (or left out)");
    }
    if (ctx.client().get("/v1/pods", Map.of("namespace", ctx.namespace()), PodList.class).items().stream()
        .anyMatch(p -> p.metadata().name().equals(name))) {
      throw new io.peapod.base.error.AlreadyExistsException("pods \"" + name + "\" already exists");
    }
    Map<String, String> q = new LinkedHashMap<>(Map.of("source", "run"));
    ctx.explicitNamespace().ifPresent(ns -> q.put("namespace", ns));
    ApplyAnswer r = ctx.client().json("POST", "/v1/apply", q, yaml.getBytes(StandardCharsets.UTF_8), ApplyAnswer.class);
    r.warnings().forEach(ctx.io().err()::println);
    if (!attach) {
      r.results().forEach(ctx.io().out()::println);
      return 0;
    }
    if (!a.has("rm")) {
      return attachOnceRunning(ctx, a, name, name, stdin, tty);
    }
    // An interrupted session (Ctrl-C, a closed terminal) still deletes the pod, as kubectl run --rm does.
    Thread cleanup = new Thread(() -> deleteQuietly(ctx, name));
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      return attachOnceRunning(ctx, a, name, name, stdin, tty);
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
      if (deleteQuietly(ctx, name)) {
        ctx.io().out().println("pod \"" + name + "\" deleted");
      }
    }
  }

  /// Deletes the pod `--rm` made; a failure is a warning, not the session's outcome.
  private static boolean deleteQuietly(Context ctx, String name) {
    try {
      ctx.client().json("DELETE", "/v1/pods/" + ctx.namespace() + "/" + name, Map.of(), null);
      return true;
    } catch (io.peapod.base.error.PeapodException e) {
      ctx.io().err().println("warning: pod " + name + " was not deleted: " + e.getMessage());
      return false;
    }
  }

  private static Map<String, Object> container(ParsedArgs a, String name, String image, List<String> words,
      boolean stdin, boolean tty) {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", name);
    container.put("image", image);
    a.value("image-pull-policy").ifPresent(p -> container.put("imagePullPolicy", p));
    if (!words.isEmpty()) {
      container.put(a.has("command") ? "command" : "args", words);
    }
    List<Map<String, String>> env = env(a);
    if (!env.isEmpty()) {
      container.put("env", env);
    }
    if (stdin) {
      container.put("stdin", true);
    }
    if (tty) {
      container.put("tty", true);
    }
    return container;
  }

  /// `--env K=V`, as a container's `env` list.
  static List<Map<String, String>> env(ParsedArgs a) {
    List<Map<String, String>> env = new ArrayList<>();
    for (String kv : a.all("env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException("--env '" + kv + "' must be NAME=VALUE");
      }
      env.add(Map.of("name", kv.substring(0, eq), "value", kv.substring(eq + 1)));
    }
    return env;
  }

  /// The seeds' `--net=container:` recipe: the container joins the running pod's namespaces.
  private static int joinPod(ParsedArgs a, Context ctx, String name, List<String> words, boolean stdin, boolean tty,
      boolean attach) throws IOException {
    if (a.has("rm") || a.value("restart").isPresent() || a.value("port").isPresent()
        || a.value("labels").isPresent() || a.value("dry-run").isPresent()) {
      throw new InvalidArgumentException("--net=container: adds the container to a running pod, whose restart"
          + " policy, ports and labels it takes; --rm, --restart, --port, --labels and --dry-run do not apply");
    }
    String image = a.value("image").orElseThrow(() -> new InvalidArgumentException("run needs --image=IMAGE"));
    NamespaceTarget net = NamespaceTarget.parse(a.value("net").orElseThrow(() -> new InvalidArgumentException(
        "--ipc and --pid=container: need --net=container:POD, the pod to add the container to (a pod's containers"
            + " share its network and IPC namespaces)")), "--net");
    Optional<NamespaceTarget> ipc = a.value("ipc").map(v -> NamespaceTarget.parse(v, "--ipc"));
    if (ipc.isPresent() && !ipc.get().pod().equals(net.pod())) {
      throw new InvalidArgumentException("--ipc=container:" + ipc.get().pod() + " names another pod than --net ("
          + net.pod() + "); a container joins one pod, whose network and IPC namespaces go together");
    }
    Map<String, Object> container = container(a, name, image, words, stdin, tty);
    Optional<NamespaceTarget> pid = a.value("pid").map(v -> NamespaceTarget.parse(v, "--pid"));
    if (pid.isPresent()) {
      NamespaceTarget t = pid.get();
      if (!t.pod().equals(net.pod())) {
        throw new InvalidArgumentException("--pid=container:" + t.pod() + " names another pod than --net (" + net.pod()
            + "); join a container of the same pod");
      }
      if (t.container().isPresent()) {
        container.put("targetContainerName", t.container().get());
      } else if (!ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + t.pod(), Map.of(), Pod.class).status()
          .shareProcessNamespace()) {
        throw new InvalidArgumentException("pod " + t.pod() + " keeps a process namespace per container"
            + " (shareProcessNamespace is false); name the container to join: --pid=container:" + t.pod()
            + "/CONTAINER");
      }
    }
    DebugCommand.add(ctx, net.pod(), container);
    if (!attach) {
      ctx.io().out().println("container/" + name + " added to pod/" + net.pod());
      return 0;
    }
    return attachOnceRunning(ctx, a, net.pod(), name, stdin, tty);
  }

  /// `container:POD` or `container:POD/CONTAINER`, as `--net`, `--ipc` and `--pid` take them.
  private record NamespaceTarget(String pod, Optional<String> container) {
    static NamespaceTarget parse(String value, String flag) {
      if (!value.startsWith("container:") || value.length() == "container:".length()) {
        throw new InvalidArgumentException(flag + " '" + value + "' must be container:POD or container:POD/CONTAINER"
            + " (joining a running pod); other modes make a pod of their own: leave " + flag + " out");
      }
      String[] parts = value.substring("container:".length()).split("/", 2);
      return new NamespaceTarget(parts[0], parts.length > 1 ? Optional.of(parts[1]) : Optional.empty());
    }
  }

  /// Waits for the container to run, then attaches; a container that already ended prints its log instead.
  /// Returns the container's exit code when it ended, else 0.
  static int attachOnceRunning(Context ctx, ParsedArgs a, String pod, String container, boolean stdin, boolean tty)
      throws IOException {
    Attacher.Outcome o = Attacher.awaitRunning(ctx, pod, container,
        RolloutCommand.duration(a.value("pod-running-timeout", "1m")));
    if (o instanceof Attacher.Outcome.Ended ended) {
      return printLog(ctx, pod, container, ended.exitCode());
    }
    try {
      // -1: the session ended while the container runs on.
      return Math.max(Attacher.attach(ctx, pod, container, stdin, tty), 0);
    } catch (io.peapod.base.error.FailedPreconditionException notRunning) {
      // It ended between the wait and the attach: what it printed and its exit code, as if it had not.
      if (Attacher.awaitRunning(ctx, pod, container, Duration.ofSeconds(10)) instanceof Attacher.Outcome.Ended e) {
        return printLog(ctx, pod, container, e.exitCode());
      }
      throw notRunning;
    }
  }

  private static int printLog(Context ctx, String pod, String container, int exitCode) throws IOException {
    try (var r = ctx.client().open("GET", "/v1/pods/" + ctx.namespace() + "/" + pod + "/logs",
        Map.of("container", container), null, Map.of())) {
      if (r.status() != 200) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      r.body().transferTo(ctx.io().out());
      ctx.io().out().flush();
    }
    return exitCode;
  }
}
