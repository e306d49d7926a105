package io.peapod.cli.command;

import io.peapod.base.error.ErrorCode;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.json.Json;
import io.peapod.base.api.v1.Image;
import io.peapod.base.api.v1.ImageList;
import io.peapod.base.api.v1.PullLine;
import io.peapod.base.json.JsonRecords;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.client.ApiClient;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.PullView;
import io.peapod.cli.output.Table;
import io.peapod.cli.output.Yaml;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `image import|ls|inspect|rm`: the node's image store.
public final class ImageCommand implements CliCommand {
  @Override
  public String name() {
    return "image";
  }

  @Override
  public String usage() {
    return """
        peapod image pull IMAGE                         (busybox, 127.0.0.1:5000/team/app:v1, app@sha256:...)
          peapod image import ARCHIVE [--tag NAME]        (OCI layout or docker save tar, .tar.gz too)
          peapod image import --rootfs DIR|TAR --tag NAME [--change 'CMD ["sh"]']...
          peapod image ls
          peapod image inspect IMAGE [-o json]
          peapod image rm IMAGE...
          peapod image prune                               (remove images no container uses)""";
  }

  @Override
  public String summary() {
    return "Pull, import, list, inspect and remove images";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("A directory or tar to make a one-layer image of.", "--rootfs"),
        Flag.value("The image's name.", "--tag"),
        Flag.value("A Dockerfile instruction for the config: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL.", "--change"),
        Flag.value("yaml (default) or json, for inspect.", "-o", "--output"));
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String verb = a.positional(0, "a subcommand: pull, import, ls, inspect, rm or prune");
    List<String> rest = a.positionals().subList(1, a.positionals().size());
    return switch (verb) {
      case "pull" -> pull(a.positional(1, "the image to pull"), ctx);
      case "import" -> importImage(a, rest, ctx);
      case "ls", "list" -> list(ctx);
      case "inspect" -> {
        Image i = ctx.client().get("/v1/images", Map.of("ref", a.positional(1, "the image to inspect")), Image.class);
        Object tree = Json.parse(Json.write(i));
        ctx.io().out().print(a.value("output", "yaml").equals("json") ? Json.pretty(tree) : Yaml.write(tree));
        yield 0;
      }
      case "prune" -> {
        for (Image i : ctx.client().json("POST", "/v1/images/prune", Map.of(), null, ImageList.class).items()) {
          ctx.io().out().println("Deleted: " + i.name());
        }
        yield 0;
      }
      case "rm", "remove" -> {
        if (rest.isEmpty()) {
          throw new InvalidArgumentException("image rm needs at least one image");
        }
        for (String ref : rest) {
          Image r = ctx.client().json("DELETE", "/v1/images", Map.of("ref", ref), null, Image.class);
          ctx.io().out().println("Untagged: " + r.name());
        }
        yield 0;
      }
      default -> throw new InvalidArgumentException("unknown image subcommand '" + verb + "'; use pull, import, ls,"
          + " inspect, rm or prune");
    };
  }

  private static int pull(String ref, Context ctx) {
    PullView view = new PullView(ctx.io().out(), System.console() != null && System.console().isTerminal());
    try (ApiClient.Response r = ctx.client().open("POST", "/v1/images/pull", Map.of("ref", ref), null, Map.of())) {
      if (r.status() != 200) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null) {
        PullLine n = JsonRecords.read(line, PullLine.class);
        if (n.progress().isPresent()) {
          PullLine.Progress p = n.progress().get();
          view.update(p.layer(), p.status(), p.current(), p.total());
        } else if (n.error().isPresent()) {
          throw PeapodException.of(ErrorCode.parse(n.error().get().code()), n.error().get().message());
        } else if (n.image().isPresent()) {
          ctx.io().out().println("pulled " + n.image().get().name() + " " + n.image().get().digest());
          return 0;
        }
      }
      throw new UnavailableException("the daemon ended the pull without a result", null);
    } catch (IOException e) {
      throw new UnavailableException("pull stream broke: " + e.getMessage(), e);
    }
  }

  private static int importImage(ParsedArgs a, List<String> rest, Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (a.has("rootfs")) {
      body.put("path", Path.of(a.value("rootfs", "")).toAbsolutePath().toString());
      body.put("rootfs", true);
    } else if (!rest.isEmpty()) {
      body.put("path", Path.of(rest.getFirst()).toAbsolutePath().toString());
    } else {
      throw new InvalidArgumentException("give an archive, or --rootfs DIR|TAR --tag NAME");
    }
    a.value("tag").ifPresent(t -> body.put("tag", t));
    body.put("changes", a.all("change"));
    ImageList r = ctx.client().json("POST", "/v1/images", Map.of(), Json.write(body).getBytes(StandardCharsets.UTF_8),
        ImageList.class);
    for (Image i : r.items()) {
      ctx.io().out().println("imported " + i.name() + " " + i.digest());
    }
    return 0;
  }

  private static int list(Context ctx) {
    Table t = new Table("REPOSITORY", "TAG", "IMAGE ID", "DIGEST", "SIZE", "AGE");
    Instant now = Instant.now();
    for (Image i : ctx.client().get("/v1/images", Map.of(), ImageList.class).items()) {
      t.row(i.repository(), i.tag(), i.id().substring(7, 19), i.digest().substring(0, 19), size(i.size()),
          Ages.since(i.created(), now));
    }
    t.print(ctx.io().out());
    return 0;
  }

  static String size(long bytes) {
    if (bytes < 1000 * 1000) {
      return String.format("%.1fkB", bytes / 1000.0);
    }
    return bytes < 1000L * 1000 * 1000 ? String.format("%.1fMB", bytes / 1e6) : String.format("%.2fGB", bytes / 1e9);
  }
}
