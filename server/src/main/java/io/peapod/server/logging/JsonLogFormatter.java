package io.peapod.server.logging;

import io.peapod.base.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/// Formats each record as `{"time":...,"level":...,"logger":...,"msg":...}` on one line.
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Instant.ofEpochMilli(r.getMillis()).toString());
    m.put("level", r.getLevel().getName().toLowerCase(java.util.Locale.ROOT));
    String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
    m.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    m.put("msg", formatMessage(r));
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(sw, true));
      m.put("error", sw.toString());
    }
    return Json.write(m) + "\n";
  }

  /// Sends all logging to stderr as JSON at the given level (`info`, `debug`, ...).
  public static void install(String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Level l = switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      case "warn", "warning" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new JsonLogFormatter());
    h.setLevel(l);
    root.addHandler(h);
    // Only peapod logs below INFO: the JDK and libraries are verbose at FINE.
    root.setLevel(l.intValue() < Level.INFO.intValue() ? Level.INFO : l);
    Logger.getLogger("io.peapod").setLevel(l);
  }
}
