package io.peapod.cli.command;

import io.peapod.base.error.UnavailableException;
import io.peapod.cli.client.ApiClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;

/// `logs POD [-c C] [-f]`: a container's log as it printed it; `-f` follows until the container exits.
public final class LogsCommand implements CliCommand {
  static final Flag CONTAINER = Flag.value("The container (default: the pod's first).", "-c", "--container");

  @Override
  public String name() {
    return "logs";
  }

  @Override
  public String usage() {
    return "peapod logs POD [-c CONTAINER] [-p] [-f] [--tail N] [--since 5m | --since-time TIME] [--timestamps]";
  }

  @Override
  public String summary() {
    return "Print a container's log";
  }

  @Override
  public List<Flag> flags() {
    return List.of(CONTAINER, Flag.bool("Keep printing new lines.", "-f", "--follow"),
        Flag.bool("The previous instance of the container (the one that ended last).", "-p", "--previous"),
        Flag.value("Only the last N lines.", "--tail"), Flag.value("Only lines newer than this (5s, 2m, 3h).", "--since"),
        Flag.value("Only lines after this time (RFC 3339).", "--since-time"),
        Flag.bool("Prefix each line with its time.", "--timestamps"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String pod = a.positional(0, "the pod's name");
    Map<String, String> q = new LinkedHashMap<>();
    q.put("container", a.value("container", ""));
    q.put("follow", String.valueOf(a.has("follow")));
    q.put("tail", a.value("tail", "-1"));
    q.put("timestamps", String.valueOf(a.has("timestamps")));
    q.put("previous", String.valueOf(a.has("previous")));
    a.value("since").ifPresent(v -> q.put("since", v));
    a.value("since-time").ifPresent(v -> q.put("sinceTime", v));
    Streams io = ctx.io();
    try (ApiClient.Response r = ctx.client().open("GET", "/v1/pods/" + ctx.namespace() + "/" + pod + "/logs", q, null,
        Map.of())) {
      if (r.status() != 200) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      byte[] buf = new byte[8192];
      int n;
      while ((n = r.body().read(buf)) > 0) {
        io.out().write(buf, 0, n);
        io.out().flush();
      }
    } catch (IOException e) {
      throw new UnavailableException("log stream ended: " + e.getMessage(), e);
    }
    return 0;
  }
}
