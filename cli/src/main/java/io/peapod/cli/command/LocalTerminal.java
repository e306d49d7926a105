package io.peapod.cli.command;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The user's terminal during `exec -t`: its size, and raw mode (no echo, no line editing) so keys go
/// to the container's terminal as typed. Uses stty on /dev/tty; does nothing when there is no terminal.
final class LocalTerminal implements AutoCloseable {
  private static final File TTY = new File("/dev/tty");
  private final Optional<String> saved;

  private LocalTerminal(Optional<String> saved) {
    this.saved = saved;
  }

  static boolean present() {
    return System.console() != null && System.console().isTerminal() && TTY.exists();
  }

  /// Rows and columns, or {0, 0} when unknown.
  static int[] size() {
    if (!present()) {
      return new int[] {0, 0};
    }
    String[] f = stty("size").orElse("0 0").trim().split("\\s+");
    return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
  }

  /// Switches the terminal to raw mode until [#close].
  static LocalTerminal raw() {
    if (!present()) {
      return new LocalTerminal(Optional.empty());
    }
    Optional<String> saved = stty("-g");
    stty("raw", "-echo");
    return new LocalTerminal(saved.map(String::trim));
  }

  @Override
  public void close() {
    saved.ifPresent(s -> stty(s));
  }

  private static Optional<String> stty(String... args) {
    try {
      Process p = new ProcessBuilder(concat(args)).redirectInput(TTY).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static List<String> concat(String... args) {
    List<String> argv = new ArrayList<>(List.of("stty"));
    argv.addAll(List.of(args));
    return argv;
  }
}
