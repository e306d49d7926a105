package io.peapod.cli.args;

import java.util.List;

/// One flag: its names (`-f`, `--follow`), whether it takes a value, and its help line.
public record Flag(List<String> names, boolean takesValue, String help) {
  public Flag {
    names = List.copyOf(names);
  }

  public static Flag bool(String help, String... names) {
    return new Flag(List.of(names), false, help);
  }

  public static Flag value(String help, String... names) {
    return new Flag(List.of(names), true, help);
  }

  /// The long name without dashes, the key values are stored under.
  public String key() {
    return names.getLast().replaceFirst("^-+", "");
  }
}
