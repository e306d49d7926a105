package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/// The daemon's web page in a real browser (Debian's chromium, driven by its chromedriver): the seed's pod
/// is drawn with net, ipc and uts held by pause and a mount namespace of each container's own, with the
/// inodes the kernel shows in /proc, and its events; a deleted pod leaves the page without a reload. Screenshots go to
/// `e2e/target/screenshots`.
@RequiresRoot
class WebPageIT {
  private static final Path SCREENSHOTS = TestDaemon.REPO.resolve("e2e/target/screenshots");

  @Test
  void thePageDrawsWhoHoldsEachNamespace_andFollowsDeletions() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (TestDaemon daemon = TestDaemon.startWithFlags("--web", "127.0.0.1:" + port, "--web-logs=true")) {
      daemon.importBusybox();
      daemon.cli("apply", "-f", TestDaemon.REPO.resolve("examples/two-containers-pod.yaml").toString()).ok();
      assertTrue(daemon.eventually(() -> daemon.pid("two-containers", "hello") > 0
          && daemon.pid("two-containers", "hello2") > 0));
      String base = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();
      String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("peapod_pods{phase=\"Running\"} 1") && metrics.contains("# TYPE peapod_pods gauge"),
          metrics);
      for (String series : List.of("peapod_pod_start_duration_seconds_count 1",
          "peapod_runtime_operations_duration_seconds_count{operation_type=\"run_pod_sandbox\"} 1",
          "peapod_runtime_operations_duration_seconds_count{operation_type=\"run_container\"} 2",
          "peapod_cni_operations_duration_seconds_count{operation_type=\"ADD\"} 1",
          "peapod_image_pull_duration_seconds_count ", "peapod_image_pull_bytes_total ")) {
        assertTrue(daemon.eventually(() -> get(http, base + "/metrics").contains(series)), series + " in "
            + get(http, base + "/metrics"));
      }
      int post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/pods")).POST(
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      assertEquals(405, post, "the page is read-only");

      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
          .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900");
      ChromeDriver browser = new ChromeDriver(service, options);
      try {
        browser.get(base + "/");
        String pod = "section[data-pod='default/two-containers'] ";
        until(() -> browser.findElements(By.cssSelector(pod + "tr[data-process='hello2']")).isEmpty() ? null : true);
        for (String container : List.of("hello", "hello2")) {
          int pid = daemon.pid("two-containers", container);
          for (String ns : List.of("net", "ipc", "uts")) {
            String cell = pod + "tr[data-process='" + container + "'] td[data-ns='" + ns + "']";
            assertEquals("pause", attribute(browser, cell, "data-holder"), container + " " + ns);
            assertEquals(String.valueOf(inode(pid, ns)), attribute(browser, cell, "data-inode"), "the kernel's inode");
            assertEquals(String.valueOf(inode(daemon.pausePid("two-containers"), ns)),
                attribute(browser, cell, "data-inode"), "the very namespace of pause");
          }
          String mnt = pod + "tr[data-process='" + container + "'] td[data-ns='mnt']";
          assertEquals(container, attribute(browser, mnt, "data-holder"), "each container has its own mount namespace");
          assertEquals(String.valueOf(inode(pid, "mnt")), attribute(browser, mnt, "data-inode"));
        }
        until(() -> browser.findElements(By.cssSelector(pod + "li[data-reason='Started']")).isEmpty() ? null : true);
        screenshot(browser, "web-pod.png");
        browser.findElement(By.cssSelector(pod + "tr[data-process='hello'] button.logs")).click();
        String pane = "section.log[data-log='default/two-containers/hello'] pre";
        until(() -> browser.findElements(By.cssSelector(pane)).stream().anyMatch(e -> e.getText()
            .contains("first container")) ? true : null);
        // Written to the container's own stdout (the pipe to its conmon): the pane follows the log.
        Files.writeString(Path.of("/proc/" + daemon.pid("two-containers", "hello") + "/fd/1"), "a followed line\n");
        until(() -> browser.findElements(By.cssSelector(pane)).stream().anyMatch(e -> e.getText()
            .contains("a followed line")) ? true : null);
        screenshot(browser, "web-pod-logs.png");
        ((JavascriptExecutor) browser).executeScript("window.peapodNoReload = 42;");
        daemon.cli("delete", "pod", "two-containers", "--now").ok();
        until(() -> browser.findElements(By.cssSelector("section[data-pod='default/two-containers']")).isEmpty()
            ? Boolean.TRUE : null);
        assertEquals(42L, ((JavascriptExecutor) browser).executeScript("return window.peapodNoReload;"),
            "the pod went away without a reload");
        assertTrue(browser.findElements(By.cssSelector("section.log")).isEmpty(), "its log pane closed with it");
        screenshot(browser, "web-pod-deleted.png");
      } finally {
        browser.quit();
      }
    }
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /// An attribute of the element `css` finds, read again if the page redrew it meanwhile.
  private static String attribute(ChromeDriver browser, String css, String name) throws InterruptedException {
    return until(() -> browser.findElements(By.cssSelector(css)).stream().findFirst().map(e -> e.getDomAttribute(name))
        .orElse(null));
  }

  /// Polls `check` (20 s at most) until it gives something; the page draws asynchronously.
  private static <T> T until(java.util.function.Supplier<T> check) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      T value;
      try {
        value = check.get();
      } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
        value = null;
      }
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the page did not show it within 20 s");
  }

  private static long inode(int pid, String ns) throws Exception {
    return (Long) Files.getAttribute(Path.of("/proc/" + pid + "/ns/" + ns), "unix:ino");
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
