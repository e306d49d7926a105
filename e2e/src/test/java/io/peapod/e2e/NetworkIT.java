package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Pod networking through the CNI plugins: one IP per pod shared by its containers, localhost inside a
/// pod, pod to pod by IP, hostPort from the node's loopback, hostNetwork, generated hosts and resolv.conf.
/// All traffic stays on this node: loopback and the test's own pod subnet.
class NetworkIT extends SharedDaemon {
  private static final String WEB = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        dnsPolicy: None
        dnsConfig:
          nameservers: [10.0.0.10]
          searches: [svc.example]
          options: [{name: ndots, value: "2"}]
        hostAliases:
        - ip: 10.1.2.3
          hostnames: [db.example, cache.example]
        containers:
        - name: server
          image: busybox
          command: ['sh', '-c', 'mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www']
          ports:
          - containerPort: 8080
            hostPort: %d
        - name: client
          image: busybox
          command: ['sleep', '3600']
      """;

  private static String ip(String pod) {
    return daemon.pod(pod).get("status").get("podIP").text("");
  }

  private static String execOut(String pod, String container, String... cmd) {
    List<String> argv = new ArrayList<>(List.of("exec", pod, "-c", container, "--"));
    argv.addAll(List.of(cmd));
    return daemon.cli(argv.toArray(String[]::new)).out();
  }

  @Test
  void podNetwork_sharedIp_localhost_podToPod_hostPort_hostsAndResolvConf() throws Exception {
    int hostPort = 20000 + Math.floorMod(daemon.network.hashCode(), 10000);
    Path m = daemon.writeManifest("web.yaml", WEB.formatted(hostPort));
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    String ip = ip("web");
    String prefix = daemon.subnet.substring(0, daemon.subnet.lastIndexOf('.') + 1);
    assertTrue(ip.startsWith(prefix), "pod IP " + ip + " is in " + daemon.subnet);
    assertTrue(daemon.cli("get", "pods", "-o", "wide").ok().out().contains(ip));

    String serverAddr = execOut("web", "server", "ip", "-4", "-o", "addr", "show", "eth0");
    String clientAddr = execOut("web", "client", "ip", "-4", "-o", "addr", "show", "eth0");
    assertTrue(serverAddr.contains(ip + "/") && clientAddr.contains(ip + "/"), serverAddr + clientAddr);
    assertEquals(ProcFs.HOST.namespaceInode(daemon.pid("web", "server"), Namespace.NET),
        ProcFs.HOST.namespaceInode(daemon.pid("web", "client"), Namespace.NET));

    assertTrue(daemon.eventually(() -> execOut("web", "client", "wget", "-qO-", "http://localhost:8080/")
        .contains("hello-from-web")), "client reaches server on localhost");

    String hosts = execOut("web", "client", "cat", "/etc/hosts");
    assertTrue(hosts.contains(ip + "\tweb"), hosts);
    assertTrue(hosts.contains("10.1.2.3\tdb.example\tcache.example"), hosts);
    assertEquals("search svc.example\nnameserver 10.0.0.10\noptions ndots:2\n",
        execOut("web", "client", "cat", "/etc/resolv.conf"));

    Path other = daemon.writeManifest("other.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: other
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """);
    daemon.cli("apply", "-f", other.toString(), "--wait").ok();
    assertNotEquals(ip, ip("other"));
    assertTrue(execOut("other", "c", "wget", "-qO-", "http://" + ip + ":8080/").contains("hello-from-web"),
        "pod to pod by IP");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("hello-from-web\n", r.body(), "hostPort from the node's loopback");

    assertTrue(daemon.cli("ns", "web").ok().out().contains("net namespace pin: " + daemon.root.resolve("run/netns")));
    daemon.cli("delete", "pod", "web", "other", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void samePortTwiceInOnePod_conflicts() throws Exception {
    Path m = daemon.writeManifest("conflict.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: conflict
        spec:
          restartPolicy: Never
          containers:
          - name: first
            image: busybox
            command: ['sh', '-c', 'mkdir -p /w && exec httpd -f -p 9090 -h /w']
          - name: second
            image: busybox
            command: ['sh', '-c', 'sleep 1; mkdir -p /w && exec httpd -f -p 9090 -h /w']
        """);
    daemon.cli("apply", "-f", m.toString()).ok();
    // kubectl shows the ended container's reason while another still runs.
    assertTrue(daemon.eventually(() -> daemon.pod("conflict").get("status").get("display").text("").equals("Error")));
    JsonNode second = daemon.pod("conflict").get("status").get("containerStatuses").list().get(1);
    assertEquals("second", second.get("name").text(""));
    assertEquals(1, second.get("state").get("terminated").get("exitCode").asLong(0));
    assertTrue(daemon.cli("logs", "conflict", "-c", "second").ok().out().contains("Address already in use"));
    daemon.cli("delete", "pod", "conflict", "--now").ok();
  }

  @Test
  void hostNetwork_usesTheNodesNamespace() throws Exception {
    Path m = daemon.writeManifest("hostnet.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: hostnet
        spec:
          hostNetwork: true
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """);
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    int pid = daemon.pid("hostnet", "c");
    assertEquals(ProcFs.HOST.namespaceInode((int) ProcessHandle.current().pid(), Namespace.NET),
        ProcFs.HOST.namespaceInode(pid, Namespace.NET));
    assertEquals("", daemon.pod("hostnet").get("status").get("netnsPath").text("x"));
    assertTrue(!ip("hostnet").isEmpty());
    assertTrue(daemon.cli("ns", "hostnet").ok().out().contains("none (host network)"));
    daemon.cli("delete", "pod", "hostnet", "--now").ok();
  }

  @Test
  void cniPluginFailure_isThePodsStatusAndEvent_withThePluginsMessage_andLeavesNothing() throws Exception {
    try (TestDaemon broken = TestDaemon.startWithCniConfig("""
        {"cniVersion": "1.0.0", "name": "broken", "plugins": [
          {"type": "bridge", "bridge": "ppbroken0", "ipam": {"type": "host-local",
            "ranges": [[{"subnet": "not-a-subnet"}]]}}]}
        """)) {
      broken.importBusybox();
      Path m = broken.writeManifest("p.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: p
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sleep', '3600']
          """);
      CliResult r = broken.cli("apply", "-f", m.toString(), "--wait");
      assertEquals(5, r.exitCode(), r.err());
      assertTrue(r.err().contains("CNI plugin bridge ADD failed") && r.err().contains("not-a-subnet"), r.err());
      String events = broken.cli("describe", "pod", "p").ok().out();
      assertTrue(events.contains("FailedCreatePodSandBox") && events.contains("not-a-subnet"), events);
      assertTrue(broken.cli("get", "pods").ok().out().contains("ContainerCreating"));
      // The kubelet retries the sandbox with a back-off; between two attempts nothing of the failed one is left.
      assertTrue(broken.eventually(() -> {
        try {
          return broken.leftovers().stream().allMatch(l -> l.startsWith("file ") || l.startsWith("log dir"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }),
          "a failed sandbox leaves no kernel state behind: " + broken.leftovers());
      broken.cli("delete", "pod", "p", "--now").ok();
      assertEquals(List.of(), broken.leftovers());
      TestDaemon.run("ip", "link", "del", "ppbroken0");
    }
  }
}
