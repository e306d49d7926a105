package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.Table;
import io.peapod.cli.output.Yaml;
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
        peapod image import ARCHIVE [--tag NAME]        (OCI layout or docker save tar, .tar.gz too)
          peapod image import --rootfs DIR|TAR --tag NAME [--change 'CMD ["sh"]']...
          peapod image ls
          peapod image inspect IMAGE [-o json]
          peapod image rm IMAGE...""";
  }

  @Override
  public String summary() {
    return "Import, list, inspect and remove images";
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
    String verb = a.positional(0, "a subcommand: import, ls, inspect or rm");
    List<String> rest = a.positionals().subList(1, a.positionals().size());
    return switch (verb) {
      case "import" -> importImage(a, rest, ctx);
      case "ls", "list" -> list(ctx);
      case "inspect" -> {
        JsonNode i = ctx.client().get("/v1/images", Map.of("ref", a.positional(1, "the image to inspect")));
        ctx.io().out().print(a.value("output", "yaml").equals("json") ? Json.pretty(i.raw()) : Yaml.write(i.raw()));
        yield 0;
      }
      case "rm", "remove" -> {
        if (rest.isEmpty()) {
          throw new InvalidArgumentException("image rm needs at least one image");
        }
        for (String ref : rest) {
          JsonNode r = ctx.client().json("DELETE", "/v1/images", Map.of("ref", ref), null);
          ctx.io().out().println("Untagged: " + r.get("name").text(""));
        }
        yield 0;
      }
      default -> throw new InvalidArgumentException("unknown image subcommand '" + verb + "'; use import, ls, inspect"
          + " or rm");
    };
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
    JsonNode r = ctx.client().json("POST", "/v1/images", Map.of(), Json.write(body).getBytes(StandardCharsets.UTF_8));
    for (JsonNode i : r.get("items").list()) {
      ctx.io().out().println("imported " + i.get("name").text("") + " " + i.get("digest").text(""));
    }
    return 0;
  }

  private static int list(Context ctx) {
    Table t = new Table("REPOSITORY", "TAG", "IMAGE ID", "DIGEST", "SIZE", "AGE");
    Instant now = Instant.now();
    for (JsonNode i : ctx.client().get("/v1/images", Map.of()).get("items").list()) {
      t.row(i.get("repository").text(""), i.get("tag").text(""), i.get("id").text("").substring(7, 19),
          i.get("digest").text("").substring(0, 19), size(i.get("size").asLong(0)),
          Ages.since(i.get("created").text(""), now));
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
