package io.peapod.sys.proc;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.NotFoundException;
import io.peapod.sys.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Reads facts about processes from a procfs mount (normally `/proc`; tests may point it elsewhere).
public record ProcFs(Path root) {
  public static final ProcFs HOST = new ProcFs(Path.of("/proc"));

  /// The inode of each namespace the process is in, read from the `/proc/<pid>/ns/*` links.
  public Map<Namespace, Long> namespaces(int pid) {
    Map<Namespace, Long> out = new EnumMap<>(Namespace.class);
    for (Namespace ns : Namespace.values()) {
      namespaceInode(pid, ns).ifPresent(inode -> out.put(ns, inode));
    }
    if (out.isEmpty()) {
      throw new NotFoundException("process " + pid + " does not exist");
    }
    return out;
  }

  public Optional<Long> namespaceInode(int pid, Namespace ns) {
    try {
      String link = Files.readSymbolicLink(root.resolve(pid + "/ns/" + ns.procName())).toString();
      int open = link.indexOf('[');
      return Optional.of(Long.parseLong(link.substring(open + 1, link.length() - 1)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InternalException("read namespace " + ns.procName() + " of pid " + pid, e);
    }
  }

  public boolean isAlive(int pid) {
    return pid > 0 && Files.exists(root.resolve(String.valueOf(pid)));
  }

  /// The process's hard limit for a resource as named in `/proc/<pid>/limits`
  /// ("Max open files"), or empty when unlimited.
  public Optional<Long> hardLimit(String pidOrSelf, String resource) {
    for (String line : lines(root.resolve(pidOrSelf + "/limits"))) {
      if (line.startsWith(resource)) {
        String[] cols = line.substring(resource.length()).trim().split("\\s+");
        return "unlimited".equals(cols[1]) ? Optional.empty() : Optional.of(Long.parseLong(cols[1]));
      }
    }
    return Optional.empty();
  }

  public int oomScoreAdj(String pidOrSelf) {
    return Integer.parseInt(lines(root.resolve(pidOrSelf + "/oom_score_adj")).getFirst().trim());
  }

  /// Mount points (field 5 of mountinfo) of the given process's mount namespace, octal escapes decoded.
  public List<String> mountPoints(String pidOrSelf) {
    List<String> out = new ArrayList<>();
    for (String line : lines(root.resolve(pidOrSelf + "/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        out.add(unescape(f[4]));
      }
    }
    return out;
  }

  /// The process's command line, arguments joined by spaces.
  public String cmdline(int pid) {
    try {
      return new String(Files.readAllBytes(root.resolve(pid + "/cmdline"))).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InternalException("read " + p, e);
    }
  }
}
