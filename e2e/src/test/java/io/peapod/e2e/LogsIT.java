package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// Container logs stay within kubelet's size and file limits however much a container writes, and are
/// read from the end without loading them: a 200 MB burst, `--tail`, `--since`, `--previous`, and a log
/// that is not there is an error, never an empty success.
@RequiresRoot
class LogsIT {
  private static long rssKb(long pid) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    throw new AssertionError("no VmRSS for " + pid);
  }

  @Test
  void twoHundredMegabytes_staysWithinTheRotationLimits_andTailReadsOnlyTheEnd() throws Exception {
    try (TestDaemon daemon = TestDaemon.startWithFlags("--container-log-max-size=1Mi",
        "--container-log-max-files=3")) {
      daemon.importBusybox();
      daemon.cli("apply", "-f", daemon.writeManifest("flood.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: flood
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sh', '-c', 'yes 0123456789012345678901234567890123456789 | head -c 209715200; echo; echo DONE; sleep 3600']
          """).toString(), "--wait").ok();
      assertTrue(daemon.eventually(Duration.ofSeconds(120),
          () -> daemon.cli("logs", "flood", "--tail", "1").out().equals("DONE\n")), "the writer finished");
      Path dir = Path.of(daemon.container("flood", "c").get("logPath").text("")).getParent();
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      }
      long total = 0;
      for (Path f : files) {
        total += Files.size(f);
      }
      assertTrue(files.size() <= 3, "at most 3 files: " + files);
      assertTrue(total <= 3 * (1 << 20) + 65536, "at most 3 MiB on disk, not 200 MB: " + total);
      long before = rssKb(daemon.daemonPid());
      CliResult tail = daemon.cli("logs", "flood", "--tail", "2").ok();
      // 200 MiB is not a whole number of 41-byte lines: the last is cut to 36 bytes and ended by `echo`,
      // which the log holds as a partial record followed by an empty full one; they are one line.
      assertEquals("012345678901234567890123456789012345\nDONE\n", tail.out());
      long growth = rssKb(daemon.daemonPid()) - before;
      assertTrue(growth < 64 * 1024, "reading the tail grew the daemon by " + growth + " KiB");
      assertEquals("", daemon.cli("logs", "flood", "--since-time", "2099-01-01T00:00:00Z").ok().out());
      assertTrue(daemon.cli("logs", "flood", "--since", "1h", "--tail", "1").ok().out().equals("DONE\n"));
      daemon.cli("delete", "pod", "flood", "--now").ok();
    }
  }

  @Test
  void previous_showsTheEndedInstance_andMissingLogsAreErrors() throws Exception {
    try (TestDaemon daemon = TestDaemon.start()) {
      daemon.importBusybox();
      daemon.cli("apply", "-f", daemon.writeManifest("twice.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: twice
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sh', '-c', 'echo instance-$(cat /proc/sys/kernel/random/uuid); sleep 1; exit 1']
          """).toString()).ok();
      assertTrue(daemon.eventually(Duration.ofSeconds(20),
          () -> daemon.container("twice", "c").get("restartCount").asLong(0) >= 1
              && daemon.cli("logs", "twice").out().startsWith("instance-")));
      String previous = daemon.cli("logs", "twice", "--previous").ok().out();
      assertTrue(previous.startsWith("instance-"), previous);
      CliResult none = daemon.cli("logs", "twice", "-c", "nosuch");
      assertNotEquals(0, none.exitCode());
      assertTrue(none.err().contains("nosuch"), none.err());
      daemon.cli("apply", "-f", daemon.writeManifest("fresh.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: fresh
          spec:
            containers:
            - {name: c, image: busybox, command: ['sleep', '3600']}
          """).toString(), "--wait").ok();
      CliResult noPrevious = daemon.cli("logs", "fresh", "--previous");
      assertEquals(3, noPrevious.exitCode(), noPrevious.err());
      assertTrue(noPrevious.err().contains("previous terminated container c in pod fresh not found"), noPrevious.err());
      Files.delete(Path.of(daemon.container("fresh", "c").get("logPath").text("")));
      CliResult gone = daemon.cli("logs", "fresh");
      assertEquals(3, gone.exitCode(), "a missing log file is an error: " + gone.out());
      assertTrue(gone.err().contains("not found"), gone.err());
      daemon.cli("delete", "pod", "twice", "fresh", "--now").ok();
    }
  }

  private static long inotifyInstances(long pid) throws IOException {
    long n = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify")) {
            n++;
          }
        } catch (IOException gone) {
          // Closed while listing.
        }
      }
    }
    return n;
  }

  /// `logs -f` of a quiet container whose client goes away: the daemon notices and lets go of the
  /// stream (its inotify instance, its connection), though the container never writes again.
  @Test
  void followers_thatLeave_areLetGo_evenWhenTheContainerIsQuiet() throws Exception {
    try (TestDaemon daemon = TestDaemon.start()) {
      daemon.importBusybox();
      daemon.cli("apply", "-f", daemon.writeManifest("quiet.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: quiet
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - {name: c, image: busybox, command: ['sh', '-c', 'echo once; exec sleep 3600']}
          """).toString(), "--wait").ok();
      long pid = daemon.daemonPid();
      long before = inotifyInstances(pid);
      List<java.nio.channels.SocketChannel> followers = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(daemon.socket));
        c.write(java.nio.ByteBuffer.wrap("GET /v1/pods/default/quiet/logs?follow=true HTTP/1.1\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        followers.add(c);
      }
      assertTrue(daemon.eventually(() -> {
        try {
          return inotifyInstances(pid) >= before + 20;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }), "twenty followers, each watching the log");
      for (var c : followers) {
        c.close();
      }
      assertTrue(daemon.eventually(() -> {
        try {
          return inotifyInstances(pid) <= before;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }), "the followers that left are let go");
      daemon.cli("delete", "pod", "quiet", "--now").ok();
    }
  }
}
