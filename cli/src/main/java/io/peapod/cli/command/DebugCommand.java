package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `debug POD --image=IMAGE [-it] [--target=CONTAINER] [-c NAME] [-- COMMAND...]`, as kubectl adds an
/// ephemeral container: it joins the pod's namespaces (and the target's process namespace, so `ps`
/// shows the target's processes), runs once, and is listed under `ephemeralContainers`. With `-i` the
/// terminal is attached to it. kubectl's `--copy-to` and `--profile` (other than `legacy`) are refused.
public final class DebugCommand implements CliCommand {
  /// kubectl's alphabet for generated names: no vowels, no look-alike digits.
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  @Override
  public String name() {
    return "debug";
  }

  @Override
  public String usage() {
    return "peapod debug POD --image=IMAGE [-i] [-t] [--target=CONTAINER] [-c NAME] [--env=K=V]... [-- COMMAND...]";
  }

  @Override
  public String summary() {
    return "Add an ephemeral container to a running pod to inspect it";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("The image of the debug container.", "--image"),
        Flag.value("The container whose process namespace to join.", "--target"),
        Flag.value("The debug container's name (default debugger-xxxxx).", "-c", "--container"),
        Flag.bool("Keep stdin open and attach to it.", "-i", "--stdin"),
        Flag.bool("Allocate a terminal for the debug container.", "-t", "--tty"),
        Flag.value("Attach to the container once it runs (default: with -i).", "--attach"),
        Flag.value("Always, IfNotPresent or Never.", "--image-pull-policy"),
        Flag.value("An environment variable K=V (repeat for more).", "--env"),
        Flag.value("Only 'legacy' (no changes to the container) is supported.", "--profile"),
        Flag.value("Not supported: peapod debugs in place, with an ephemeral container.", "--copy-to"),
        Flag.bool("Print no informational messages.", "-q", "--quiet"), Attacher.POD_RUNNING_TIMEOUT,
        Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws IOException {
    String pod = a.positional(0, "the pod's name");
    if (a.value("copy-to").isPresent()) {
      throw new InvalidArgumentException("--copy-to is not supported: peapod debugs the pod itself, with an"
          + " ephemeral container");
    }
    String profile = a.value("profile", "legacy");
    if (!profile.equals("legacy")) {
      throw new InvalidArgumentException("--profile '" + profile + "' is not supported; only legacy (the container as"
          + " given) is");
    }
    String image = a.value("image").orElseThrow(() -> new InvalidArgumentException("debug needs --image=IMAGE (the"
        + " tools to debug with, e.g. busybox)"));
    String name = a.value("container").orElseGet(() -> {
      String generated = "debugger-" + randomSuffix();
      if (!a.has("quiet")) {
        ctx.io().err().println("Defaulting debug container name to " + generated + ".");
      }
      return generated;
    });
    boolean stdin = a.has("stdin");
    boolean tty = a.has("tty");
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", name);
    container.put("image", image);
    a.value("image-pull-policy").ifPresent(p -> container.put("imagePullPolicy", p));
    List<String> words = a.positionals().subList(1, a.positionals().size());
    if (!words.isEmpty()) {
      container.put("command", words);
    }
    List<Map<String, String>> env = RunCommand.env(a);
    if (!env.isEmpty()) {
      container.put("env", env);
    }
    container.put("stdin", stdin);
    container.put("tty", tty);
    a.value("target").ifPresent(t -> container.put("targetContainerName", t));
    add(ctx, pod, container);
    boolean attach = Boolean.parseBoolean(a.value("attach", String.valueOf(stdin)));
    return attach ? RunCommand.attachOnceRunning(ctx, a, pod, name, stdin, tty) : 0;
  }

  /// Adds an ephemeral container (its spec as a manifest writes one) to a pod.
  static void add(Context ctx, String pod, Map<String, Object> container) {
    ctx.client().json("POST", "/v1/pods/" + ctx.namespace() + "/" + pod + "/ephemeralcontainers", Map.of(),
        io.peapod.base.json.Json.write(container).getBytes(StandardCharsets.UTF_8));
  }

  /// Made here, not when the CLI starts: seeding a SecureRandom loads the security providers (~6 ms).
  private static String randomSuffix() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }
}
