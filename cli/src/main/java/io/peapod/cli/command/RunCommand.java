package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `run NAME --image=IMAGE [-- ARGS...]` as kubectl makes a pod: label `run=NAME`, `--restart`
/// (Always by default), `--env`, `--labels`, `--port`, `--command` (the words after `--` replace the
/// image's entrypoint rather than its arguments), `--dry-run=client -o yaml` to print the pod. The pod is
/// applied like any manifest. `-i`, `-t`, `--rm` and `--attach` need attaching to a container, which
/// peapod does not do yet, and are refused with that reason.
public final class RunCommand implements CliCommand {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "peapod run NAME --image=IMAGE [--restart=Always|OnFailure|Never] [--env=K=V]... [--labels=k=v,...]"
        + " [--port=N] [--command] [--dry-run=client -o yaml] [-n NS] [-- ARGS...]";
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
        Flag.bool("The words after -- are the command, not arguments to the image's.", "--command"),
        Flag.value("client: print the pod and create nothing.", "--dry-run"),
        Flag.value("yaml or json, with --dry-run=client.", "-o", "--output"),
        Flag.bool("Not supported: needs attach.", "-i", "--stdin"), Flag.bool("Not supported: needs attach.", "-t",
            "--tty"), Flag.bool("Not supported: needs attach.", "--rm"),
        Flag.bool("Not supported: needs attach.", "--attach"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    for (String attach : List.of("stdin", "tty", "rm", "attach")) {
      if (a.has(attach)) {
        throw new InvalidArgumentException("--" + attach + " needs attaching to the container, which peapod does not"
            + " do yet; run it, then use 'peapod logs -f' or 'peapod exec -it'");
      }
    }
    String name = a.positional(0, "the pod's name");
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
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", name);
    container.put("image", image);
    List<String> words = a.positionals().subList(1, a.positionals().size());
    if (!words.isEmpty()) {
      container.put(a.has("command") ? "command" : "args", words);
    }
    List<Map<String, String>> env = new ArrayList<>();
    for (String kv : a.all("env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException("--env '" + kv + "' must be NAME=VALUE");
      }
      env.add(Map.of("name", kv.substring(0, eq), "value", kv.substring(eq + 1)));
    }
    if (!env.isEmpty()) {
      container.put("env", env);
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
    if (ctx.client().json("GET", "/v1/pods", Map.of("namespace", ctx.namespace()), null).get("items").list().stream()
        .anyMatch(p -> p.get("metadata").get("name").text("").equals(name))) {
      throw new io.peapod.base.error.AlreadyExistsException("pods \"" + name + "\" already exists");
    }
    Map<String, String> q = new LinkedHashMap<>(Map.of("source", "run"));
    ctx.explicitNamespace().ifPresent(ns -> q.put("namespace", ns));
    JsonNode r = ctx.client().json("POST", "/v1/apply", q, yaml.getBytes(StandardCharsets.UTF_8));
    r.get("warnings").strings().forEach(ctx.io().err()::println);
    r.get("results").strings().forEach(ctx.io().out()::println);
    return 0;
  }
}
