package io.peapod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonConfigTest {
  @Test
  void securityAndWebFlags_haveKubeletsDefaults_andAreChecked() {
    DaemonConfig d = DaemonConfig.parse(List.of());
    assertEquals(false, d.seccompDefault());
    assertEquals(Path.of("/var/lib/peapod/seccomp"), d.seccompProfileRoot());
    assertEquals(Optional.empty(), d.web(), "no page unless asked for");
    DaemonConfig c = DaemonConfig.parse(List.of("--seccomp-default=true", "--allowed-unsafe-sysctls",
        "kernel.msg*, net.core.somaxconn",
        "--web", "127.0.0.1:7117", "--state-root", "/x"));
    assertTrue(c.seccompDefault());
    assertEquals(Path.of("/x/seccomp"), c.seccompProfileRoot());
    assertEquals(List.of("kernel.msg*", "net.core.somaxconn"), c.allowedUnsafeSysctls());
    assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 7117)), c.web());
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--web", "7117")));
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--seccomp-default=yes")));
    assertTrue(DaemonConfig.parse(List.of("--state-root=rel/state")).stateRoot().isAbsolute());
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--state-root=/var/lib/a,b")));
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--state-root=/var/lib/a:b")));
  }

  @Test
  void sandboxPool_defaultsToTwo_andIsBounded() {
    assertEquals(2, DaemonConfig.parse(List.of()).sandboxPool());
    assertEquals(0, DaemonConfig.parse(List.of("--sandbox-pool=0")).sandboxPool());
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--sandbox-pool=65")));
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--sandbox-pool", "-1")));
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--sandbox-pool=many")));
  }

  @Test
  void podMonitor_isAutoOffOrAnAbsolutePath() {
    assertEquals("auto", DaemonConfig.parse(List.of()).podMonitor());
    assertEquals("off", DaemonConfig.parse(List.of("--pod-monitor=off")).podMonitor());
    assertEquals("/opt/peapod-podmon", DaemonConfig.parse(List.of("--pod-monitor", "/opt/peapod-podmon")).podMonitor());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> DaemonConfig.parse(List.of("--pod-monitor=peapod-podmon")));
    assertTrue(e.getMessage().contains("auto, off or an absolute path"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> DaemonConfig.parse(List.of("--pod-monitor=/opt/podmon")));
  }
}
