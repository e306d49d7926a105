package io.peapod.runtime.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/// The node's primary IPv4 address: that of the interface holding the default route (what kubelet
/// reports as a hostNetwork pod's IP), or 127.0.0.1 on a node without one.
public final class NodeAddress {
  private NodeAddress() {}

  /// `lookup`'s answer, asked again only once `interval` has passed. The lookup lists every interface
  /// of the node (the JDK reads them all to find one by name), which each pod's veth makes longer, and
  /// every container start and pod status needs the address: uncached, a thousand pods made it a tenth
  /// of the daemon's CPU. `nanoTime` is the clock (System::nanoTime).
  public static Supplier<String> cached(Supplier<String> lookup, Duration interval, LongSupplier nanoTime) {
    return new Supplier<>() {
      private String address;
      private long lookedUp;

      @Override
      public synchronized String get() {
        long now = nanoTime.getAsLong();
        if (address == null || now - lookedUp >= interval.toNanos()) {
          address = lookup.get();
          lookedUp = now;
        }
        return address;
      }
    };
  }

  public static String primary(Path procNetRoute) {
    try {
      List<String> lines = Files.readAllLines(procNetRoute);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 2 && f[1].equals("00000000")) {
          NetworkInterface nic = NetworkInterface.getByName(f[0]);
          if (nic != null) {
            var v4 = nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
            if (v4.isPresent()) {
              return v4.get().getHostAddress();
            }
          }
        }
      }
      return "127.0.0.1";
    } catch (SocketException e) {
      return "127.0.0.1";
    } catch (IOException e) {
      throw new UncheckedIOException("read " + procNetRoute, e);
    }
  }
}
