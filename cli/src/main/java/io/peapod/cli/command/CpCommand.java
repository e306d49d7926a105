package io.peapod.cli.command;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.args.Flag;
import io.peapod.cli.copy.TarReader;
import io.peapod.cli.copy.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// `cp POD:SRC DEST` and `cp SRC POD:DEST`, as kubectl copies: `tar` in the container through `exec`
/// (the image must have it), the stream read and written here. What comes back from a container is
/// extracted by [TarReader], which refuses entries that would land outside DEST.
public final class CpCommand implements CliCommand {
  @Override
  public String name() {
    return "cp";
  }

  @Override
  public String usage() {
    return "peapod cp POD:SRC DEST | SRC POD:DEST [-c CONTAINER] [-n NS]";
  }

  @Override
  public String summary() {
    return "Copy files between the node and a container";
  }

  @Override
  public List<Flag> flags() {
    return List.of(LogsCommand.CONTAINER, Context.NAMESPACE);
  }

  private record Remote(String pod, String path) {
    static Optional<Remote> of(String arg) {
      int colon = arg.indexOf(':');
      if (colon <= 0 || arg.startsWith("/") || arg.startsWith(".")) {
        return Optional.empty();
      }
      String path = arg.substring(colon + 1);
      if (path.isEmpty()) {
        throw new InvalidArgumentException("'" + arg + "' names no path in the container");
      }
      return Optional.of(new Remote(arg.substring(0, colon), path));
    }

    String parent() {
      String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
      int slash = p.lastIndexOf('/');
      return slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
    }

    String base() {
      String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
      return p.substring(p.lastIndexOf('/') + 1);
    }
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws Exception {
    List<String> args = a.positionals();
    if (args.size() != 2) {
      throw new InvalidArgumentException("usage: " + usage());
    }
    Optional<Remote> from = Remote.of(args.get(0));
    Optional<Remote> to = Remote.of(args.get(1));
    if (from.isPresent() == to.isPresent()) {
      throw new InvalidArgumentException("one of the two paths must be POD:PATH and the other a local path");
    }
    String container = a.value("container", "");
    return from.isPresent() ? download(ctx, container, from.get(), Path.of(args.get(1)))
        : upload(ctx, container, Path.of(args.get(0)), to.get());
  }

  private static int download(Context ctx, String container, Remote from, Path dest) throws Exception {
    if (from.base().equals("..") || from.base().equals(".")) {
      throw new InvalidArgumentException("'" + from.path() + "' must name a file or directory");
    }
    Path target = Files.isDirectory(dest) ? dest.resolve(from.base()) : dest;
    PipedOutputStream tarOut = new PipedOutputStream();
    PipedInputStream tarIn = new PipedInputStream(tarOut, 64 * 1024);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread.Builder.OfVirtual threads = Thread.ofVirtual();
    Exception[] failed = new Exception[1];
    Thread reader = threads.start(() -> {
      try (tarIn) {
        TarReader.extract(tarIn, from.base(), target, ctx.io().err());
        // GNU tar pads the archive past its end blocks; the rest is read so that tar can finish writing.
        tarIn.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (Exception e) {
        failed[0] = e;
      }
    });
    int code;
    try (tarOut) {
      code = ExecStream.run(ctx, from.pod(), ExecStream.body(container, List.of("tar", "cf", "-", "-C",
          from.parent(), from.base()), false, Optional.empty()), Optional.empty(), tarOut, err);
    } catch (IOException pipeClosed) {
      code = 1;
    }
    reader.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return finish(ctx, code, err, from.path());
  }

  private static int upload(Context ctx, String container, Path source, Remote to) throws Exception {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidArgumentException(source + " does not exist");
    }
    if (Files.isSymbolicLink(source)) {
      throw new InvalidArgumentException(source + " is a symbolic link; cp copies files and directories");
    }
    // As kubectl: into an existing directory (or one named with a trailing '/') the source goes by its
    // own name; otherwise it takes the destination's name.
    boolean intoDirectory = to.path().endsWith("/") || ExecStream.run(ctx, to.pod(), ExecStream.body(container,
        List.of("test", "-d", to.path()), false, Optional.empty()), Optional.empty(),
        java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream()) == 0;
    String dir = intoDirectory ? to.path() : to.parent();
    String name = intoDirectory ? source.toAbsolutePath().normalize().getFileName().toString() : to.base();
    PipedOutputStream tarOut = new PipedOutputStream();
    PipedInputStream tarIn = new PipedInputStream(tarOut, 64 * 1024);
    Thread writer = Thread.ofVirtual().start(() -> {
      try (tarOut) {
        new TarWriter(tarOut).write(source, name);
      } catch (IOException e) {
        // The exec ended early; its exit code says why.
      }
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ExecStream.run(ctx, to.pod(), ExecStream.body(container, List.of("tar", "xmf", "-", "-C", dir), true,
        Optional.empty()), Optional.of(tarIn), out, err);
    writer.join();
    return finish(ctx, code, err, to.path());
  }

  private static int finish(Context ctx, int code, ByteArrayOutputStream err, String path) {
    if (code == 0) {
      return 0;
    }
    String why = err.toString(StandardCharsets.UTF_8).strip();
    if (code == 127 || why.contains("executable file not found")) {
      throw new FailedPreconditionException("cp needs tar in the container, and it has none");
    }
    throw new FailedPreconditionException("cp of " + path + " failed (tar exited " + code + ")"
        + (why.isEmpty() ? "" : ": " + why));
  }
}
