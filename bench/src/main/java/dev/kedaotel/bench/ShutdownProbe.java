package dev.kedaotel.bench;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM to exit, as Kubernetes stops a pod: a fresh server (launcher flags, child process) is made
 * ready, optionally given an open StreamIsActive call by a KEDA-like client, left idle for 2 s, then sent
 * SIGTERM; the figure is the time until the process has exited (waitpid on the child, no polling).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.kedaotel.bench.ShutdownProbe --runs 3 [--stream 1] [--base-port 35317]</pre>
 */
public final class ShutdownProbe {
    private static final int BASE_PORT = 35317;

    private ShutdownProbe() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "runs", "stream", "server-jvm-flags", "base-port");
        int runs = a.integer("runs", 3);
        boolean stream = a.integer("stream", 0) != 0;
        String flags = a.has("server-jvm-flags") ? a.string("server-jvm-flags", "") : MemoryProbe.launcherFlags();
        int basePort = a.integer("base-port", BASE_PORT);
        for (int run = 1; run <= runs; run++) {
            try (MemoryProbe.ServerProcess server = MemoryProbe.ServerProcess.start(flags, basePort)) {
                ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", basePort + 1).usePlaintext().build();
                if (stream) {
                    openStream(ch);
                }
                Thread.sleep(2000);
                long t0 = System.nanoTime();
                server.process.destroy(); // SIGTERM
                if (!server.process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("server did not exit within 30 s of SIGTERM");
                }
                System.out.printf("run %d: SIGTERM to exit %s: %.0f ms (exit code %d)%n", run,
                        stream ? "with a StreamIsActive open" : "idle", (System.nanoTime() - t0) / 1e6, server.process.exitValue());
                ch.shutdownNow();
            }
        }
    }

    private static void openStream(ManagedChannel ch) throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("probe").setName("shutdown")
                .putScalerMetadata("metricQuery", "sum(x)").putScalerMetadata("targetValue", "1").build();
        ExternalScalerGrpc.newStub(ch).streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
            @Override
            public void onNext(IsActiveResponse value) {
                first.countDown();
            }

            @Override
            public void onError(Throwable t) {
                // the server going away ends the stream; that is the point
            }

            @Override
            public void onCompleted() {
                // likewise
            }
        });
        if (!first.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the stream sent no first answer");
        }
    }
}
