import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.peapod.cri.v1.ListPodSandboxRequest;
import io.peapod.cri.v1.RuntimeServiceGrpc;
import io.peapod.cri.v1.VersionRequest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/// CRI call latency against a running daemon, as a gRPC client sees it: a new connection's first call
/// (what a cold crictl pays once its JVM-free Go binary is up), then warm calls on one connection.
/// Usage: bench/cri-latency.sh [SOCKET] [N]
@SuppressWarnings("deprecation") // EpollEventLoopGroup: the netty grpc-java 1.85 shades still takes it
public class CriLatency {
  public static void main(String[] args) throws Exception {
    String socket = args.length > 0 ? args[0] : "/run/peapod/cri.sock";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    // Class loading and the first connection are the client JVM's cost, not the daemon's: done once before.
    firstCall(socket, group);
    long[] fresh = new long[50];
    for (int i = 0; i < fresh.length; i++) {
      fresh[i] = firstCall(socket, group);
    }
    report("Version, first call on a new connection", fresh);
    ManagedChannel ch = channel(socket, group);
    RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = RuntimeServiceGrpc.newBlockingStub(ch);
    report("Version, warm connection", time(n, i -> stub.version(VersionRequest.getDefaultInstance())));
    int pods = stub.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount();
    report("ListPodSandbox (" + pods + " sandboxes), warm connection",
        time(n, i -> stub.listPodSandbox(ListPodSandboxRequest.getDefaultInstance())));
    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static ManagedChannel channel(String socket, EpollEventLoopGroup group) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket)).channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group).usePlaintext().build();
  }

  private static long firstCall(String socket, EpollEventLoopGroup group) throws InterruptedException {
    long start = System.nanoTime();
    ManagedChannel ch = channel(socket, group);
    RuntimeServiceGrpc.newBlockingStub(ch).version(VersionRequest.getDefaultInstance());
    long took = System.nanoTime() - start;
    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    return took;
  }

  private static long[] time(int n, Consumer<Integer> call) {
    for (int i = 0; i < Math.min(200, n); i++) {
      call.accept(i);
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      call.accept(i);
      t[i] = System.nanoTime() - start;
    }
    return t;
  }

  private static void report(String what, long[] nanos) {
    Arrays.sort(nanos);
    System.out.printf("%-50s n=%-5d p50 %6.3f ms  p90 %6.3f ms  p99 %6.3f ms%n", what, nanos.length,
        nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 9 / 10] / 1e6, nanos[Math.min(nanos.length - 1,
            nanos.length * 99 / 100)] / 1e6);
  }
}
