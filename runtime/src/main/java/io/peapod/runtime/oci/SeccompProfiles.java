package io.peapod.runtime.oci;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// Seccomp profiles as OCI `linux.seccomp` documents: peapod's `RuntimeDefault`, and `Localhost`
/// profiles read from a file.
///
/// `RuntimeDefault` is peapod's own allowlist, modelled on what the default profiles of Docker and
/// containerd do: every call an ordinary program makes is allowed; what changes the kernel or the host
/// (modules, reboot, clocks, swap, accounting, kexec, BPF, perf, keyrings, userfaultfd, namespaces and
/// mounts) is allowed only when the container holds the capability that call needs, and fails with
/// EPERM otherwise. `clone` may not make namespaces without CAP_SYS_ADMIN; `clone3`, whose flags a
/// filter cannot read, fails with ENOSYS so that libc falls back to `clone`.
public final class SeccompProfiles {
  private static final int EPERM = 1;
  private static final int ENOSYS = 38;
  /// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
  private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
  private static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
      "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");

  private static final List<String> ALWAYS = List.of("accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk",
      "cachestat", "capget", "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
      "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
      "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3",
      "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
      "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2",
      "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2",
      "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork",
      "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
      "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
      "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32", "geteuid", "geteuid32",
      "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
      "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
      "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
      "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
      "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents",
      "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule",
      "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat",
      "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
      "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat",
      "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify",
      "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
      "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
      "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal",
      "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64",
      "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev",
      "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
      "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
      "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
      "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
      "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
      "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
      "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl",
      "semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg",
      "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32",
      "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
      "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid", "setsockopt",
      "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget",
      "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socket", "socketcall",
      "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
      "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
      "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
      "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
      "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64",
      "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev", "arch_prctl", "modify_ldt",
      "process_vm_readv", "process_vm_writev", "ptrace", "pidfd_getfd");

  /// Calls allowed only with a capability, by capability.
  private static final Map<String, List<String>> BY_CAPABILITY = Map.ofEntries(
      Map.entry("CAP_SYS_ADMIN", List.of("bpf", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
          "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl",
          "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare")),
      Map.entry("CAP_BPF", List.of("bpf")),
      Map.entry("CAP_PERFMON", List.of("perf_event_open")),
      Map.entry("CAP_SYSLOG", List.of("syslog")),
      Map.entry("CAP_DAC_READ_SEARCH", List.of("open_by_handle_at")),
      Map.entry("CAP_SYS_BOOT", List.of("reboot")),
      Map.entry("CAP_SYS_CHROOT", List.of("chroot")),
      Map.entry("CAP_SYS_MODULE", List.of("delete_module", "init_module", "finit_module")),
      Map.entry("CAP_SYS_PACCT", List.of("acct")),
      Map.entry("CAP_SYS_PTRACE", List.of("kcmp", "userfaultfd", "process_madvise")),
      Map.entry("CAP_SYS_RAWIO", List.of("iopl", "ioperm")),
      Map.entry("CAP_SYS_TIME", List.of("settimeofday", "stime", "clock_settime", "clock_settime64")),
      Map.entry("CAP_SYS_TTY_CONFIG", List.of("vhangup")),
      Map.entry("CAP_SYS_NICE", List.of("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node")));

  private SeccompProfiles() {}

  /// peapod's default profile for a container holding `capabilities` (`CAP_*` names).
  public static Map<String, Object> runtimeDefault(List<String> capabilities) {
    List<Object> rules = new ArrayList<>();
    rules.add(allow(ALWAYS));
    BY_CAPABILITY.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .filter(e -> capabilities.contains(e.getKey()))
        .forEach(e -> rules.add(allow(e.getValue())));
    if (!capabilities.contains("CAP_SYS_ADMIN")) {
      rules.add(Map.of("names", List.of("clone"), "action", "SCMP_ACT_ALLOW", "args", List.of(Map.of("index", 0,
          "value", CLONE_NAMESPACE_FLAGS, "valueTwo", 0, "op", "SCMP_CMP_MASKED_EQ"))));
      rules.add(Map.of("names", List.of("clone3"), "action", "SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
    } else {
      rules.add(allow(List.of("clone")));
    }
    // personality(2) only with the values programs use: Linux, 32-bit, and "query".
    for (long persona : new long[] {0x0, 0x8, 0x20000, 0x20008, 0xffffffffL}) {
      rules.add(Map.of("names", List.of("personality"), "action", "SCMP_ACT_ALLOW", "args",
          List.of(Map.of("index", 0, "value", persona, "op", "SCMP_CMP_EQ"))));
    }
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("defaultAction", "SCMP_ACT_ERRNO");
    profile.put("defaultErrnoRet", EPERM);
    profile.put("architectures", architectures());
    profile.put("syscalls", rules);
    return profile;
  }

  private static Map<String, Object> allow(List<String> names) {
    return Map.of("names", names, "action", "SCMP_ACT_ALLOW");
  }

  private static List<String> architectures() {
    return switch (System.getProperty("os.arch")) {
      case "aarch64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
      default -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    };
  }

  /// A profile file, in the OCI form or Docker's (`archMap`, and rules that apply only with `includes`
  /// or without `excludes` capabilities, architectures or kernel versions, judged for a container holding
  /// `capabilities`), checked and turned into the OCI form.
  public static Map<String, Object> localhost(Path file, List<String> capabilities) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidArgumentException("seccomp profile " + file + " is not a regular file");
    }
    Map<String, Object> doc;
    try {
      Object parsed = Json.parse(Files.readString(file));
      if (!(parsed instanceof Map<?, ?> m)) {
        throw new InvalidArgumentException("seccomp profile " + file + " is not a JSON object");
      }
      doc = cast(m);
    } catch (IOException e) {
      throw new InvalidArgumentException("read seccomp profile " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("seccomp profile " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    Object action = doc.get("defaultAction");
    if (!(action instanceof String a) || !ACTIONS.contains(a)) {
      throw new InvalidArgumentException("seccomp profile " + file + ": defaultAction '" + action + "' is not one of "
          + new java.util.TreeSet<>(ACTIONS));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("defaultAction", action);
    if (doc.get("defaultErrnoRet") instanceof Number n) {
      out.put("defaultErrnoRet", n.intValue());
    }
    List<String> arches = new ArrayList<>();
    if (doc.get("architectures") instanceof List<?> l) {
      l.forEach(x -> arches.add(String.valueOf(x)));
    }
    if (doc.get("archMap") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          arches.add(String.valueOf(m.get("architecture")));
          if (m.get("subArchitectures") instanceof List<?> subs) {
            subs.forEach(x -> arches.add(String.valueOf(x)));
          }
        }
      }
    }
    if (!arches.isEmpty()) {
      out.put("architectures", arches.stream().distinct().toList());
    }
    List<Object> syscalls = new ArrayList<>();
    if (doc.get("syscalls") instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("action") instanceof String sa) || !ACTIONS.contains(sa)) {
          throw new InvalidArgumentException("seccomp profile " + file + ": every syscalls entry needs a valid action");
        }
        if (!applies(m.get("includes"), true, capabilities) || !applies(m.get("excludes"), false, capabilities)) {
          continue;
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        List<Object> names = new ArrayList<>();
        if (m.get("names") instanceof List<?> ns) {
          names.addAll(ns);
        }
        if (m.get("name") instanceof String single) {
          names.add(single);
        }
        rule.put("names", names);
        rule.put("action", sa);
        if (m.get("errnoRet") instanceof Number n) {
          rule.put("errnoRet", n.intValue());
        }
        if (m.get("args") instanceof List<?> args) {
          rule.put("args", args);
        }
        syscalls.add(rule);
      }
    }
    out.put("syscalls", syscalls);
    return out;
  }

  /// Docker's conditions: a rule `includes` applies only if all of them hold, `excludes` only if none does.
  private static boolean applies(Object condition, boolean include, List<String> capabilities) {
    if (!(condition instanceof Map<?, ?> c) || c.isEmpty()) {
      return true;
    }
    List<Boolean> held = new ArrayList<>();
    if (c.get("caps") instanceof List<?> caps && !caps.isEmpty()) {
      held.add(include ? caps.stream().allMatch(capabilities::contains)
          : caps.stream().anyMatch(capabilities::contains));
    }
    if (c.get("arches") instanceof List<?> arches && !arches.isEmpty()) {
      held.add(arches.contains(goArch()));
    }
    if (c.get("minKernel") instanceof String min && !min.isEmpty()) {
      held.add(kernelAtLeast(System.getProperty("os.version"), min));
    }
    if (held.isEmpty()) {
      return true;
    }
    return include ? !held.contains(false) : !held.contains(true);
  }

  private static String goArch() {
    return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
  }

  /// `6.1.0-27-amd64` against `4.8`: compares the leading numbers.
  static boolean kernelAtLeast(String running, String wanted) {
    String[] r = running.split("[^0-9]+");
    String[] w = wanted.split("[^0-9]+");
    for (int i = 0; i < w.length; i++) {
      long a = i < r.length && !r[i].isEmpty() ? Long.parseLong(r[i]) : 0;
      long b = w[i].isEmpty() ? 0 : Long.parseLong(w[i]);
      if (a != b) {
        return a > b;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
