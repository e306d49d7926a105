package io.peapod.runtime.network;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/// The masquerade of peapod's default pod network: one nat rule for the whole subnet, made when the
/// daemon starts, instead of the bridge plugin's `ipMasq`, which made a chain of its own per pod with nine
/// `iptables` runs on every ADD (one of them listing the whole nat table, so each start got slower as pods
/// were added) and six on every DEL. The rule stays while a pod may use it: the daemon removes it only
/// when it stops with no address of the network leased.
public final class PodMasquerade {
  private static final Logger LOG = System.getLogger(PodMasquerade.class.getName());
  private final String subnet;
  private final String comment;

  public PodMasquerade(String subnet, String network) {
    this.subnet = subnet;
    this.comment = "peapod: masquerade for pod network " + network;
  }

  /// Adds the rule unless it is there.
  public void ensure() {
    if (iptables("-C") != 0) {
      int rc = iptables("-A");
      if (rc != 0) {
        throw new FailedPreconditionException("iptables could not add the masquerade rule for pod network " + subnet
            + " (exit " + rc + "); is the iptables package installed?");
      }
      LOG.log(Logger.Level.INFO, "masquerading pod network {0} (one nat rule)", subnet);
    }
  }

  /// Removes the rule (every copy of it); safe when there is none.
  public void remove() {
    while (iptables("-C") == 0) {
      if (iptables("-D") != 0) {
        throw new InternalException("iptables could not delete the masquerade rule for " + subnet, null);
      }
    }
  }

  /// The rule as `iptables` takes it after `op`: traffic from the subnet to anywhere outside it.
  List<String> command(String op) {
    return new ArrayList<>(List.of("iptables", "-w", "-t", "nat", op, "POSTROUTING", "-s", subnet, "!", "-d", subnet,
        "-m", "comment", "--comment", comment, "-j", "MASQUERADE"));
  }

  private int iptables(String op) {
    try {
      Process p = new ProcessBuilder(command(op)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      if (rc != 0 && !op.equals("-C")) {
        LOG.log(Logger.Level.WARNING, "iptables {0}: {1}", op, out);
      }
      return rc;
    } catch (IOException e) {
      throw new FailedPreconditionException("cannot run iptables: " + e.getMessage() + "; install the iptables package");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while running iptables", e);
    }
  }
}
