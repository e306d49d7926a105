package io.peapod.server.api;

import io.peapod.base.api.v1.NamespaceReport;
import io.peapod.kubelet.pod.PodView;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Which namespaces each process of a pod is in, read from `/proc/<pid>/ns/*`, and who holds each:
/// the host (same inode as the daemon), the pause process, or a container (itself or another).
public final class PodNamespaces {
  private PodNamespaces() {}

  record Process(String label, int pid) {}

  public static NamespaceReport of(PodView pod, ProcFs proc) {
    List<Process> processes = new ArrayList<>();
    if (pod.pausePid() > 0 && proc.isAlive(pod.pausePid())) {
      processes.add(new Process("pause", pod.pausePid()));
    }
    List<PodView.ContainerView> running = new ArrayList<>(pod.initContainers());
    running.addAll(pod.containers());
    running.addAll(pod.ephemeralContainers());
    for (PodView.ContainerView c : running) {
      if (c.pid() > 0 && proc.isAlive(c.pid())) {
        processes.add(new Process(c.name(), c.pid()));
      }
    }
    // The daemon runs in the node's namespaces; PID 1 may not be readable (a VM's own init).
    Map<Namespace, Long> host = proc.namespaces((int) ProcessHandle.current().pid());
    Map<String, Map<Namespace, Long>> byProcess = new LinkedHashMap<>();
    for (Process p : processes) {
      byProcess.put(p.label(), proc.namespaces(p.pid()));
    }
    List<NamespaceReport.Row> rows = new ArrayList<>();
    for (Process p : processes) {
      for (Map.Entry<Namespace, Long> ns : byProcess.get(p.label()).entrySet()) {
        rows.add(new NamespaceReport.Row(p.label(), p.pid(), ns.getKey().procName(), ns.getValue(),
            holder(ns.getKey(), ns.getValue(), host, byProcess)));
      }
    }
    return new NamespaceReport(pod.namespace() + "/" + pod.name(), pod.netnsPath(), rows);
  }

  private static String holder(Namespace type, long inode, Map<Namespace, Long> host,
      Map<String, Map<Namespace, Long>> byProcess) {
    if (host.get(type) != null && host.get(type) == inode) {
      return "host";
    }
    for (Map.Entry<String, Map<Namespace, Long>> e : byProcess.entrySet()) {
      Long other = e.getValue().get(type);
      if (other != null && other == inode) {
        return e.getKey();
      }
    }
    return "?";
  }
}
