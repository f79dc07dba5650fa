package dev.kedaotel.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Connection policy of both gRPC ports (OTLP 4317, KEDA 4318): which keep-alive pings clients may
 * send, how the server finds dead peers, and why there is no maximum connection age. Fixed values, not
 * settings: they follow from the clients' own limits, and no deployment has needed another value.
 *
 * <p><b>Pings from clients are welcome.</b> Collector exporters (grpc-go) and KEDA keep one connection
 * open and idle between calls; an operator who turns on their {@code keepalive} (the collector's
 * {@code keepalive.time}, {@code permit_without_stream}) makes them ping, at most every 10 s (grpc-go's
 * floor). grpc-java's default enforcement allows one ping per 5 minutes, and only during calls: a
 * client pinging faster gets {@code GOAWAY ENHANCE_YOUR_CALM "too_many_pings"} and its connection closed
 * — an exporter that keeps failing for no visible reason. So any rate down to {@link #PERMIT_PING_SECONDS}
 * (half grpc-go's floor, so a ping that arrives a little early is no strike) is allowed, with or without
 * calls in flight.
 *
 * <p><b>Dead peers are found by our pings.</b> After {@link #PING_AFTER_IDLE_SECONDS} without a frame the
 * server pings; no answer within {@link #PING_TIMEOUT_SECONDS} closes the connection. A collector or KEDA
 * whose node vanished (no FIN, no RST) therefore frees its connection, and an open {@code StreamIsActive}
 * its subscriber, within about 40 s instead of the kernel's two hours. grpc-go clients answer pings
 * without policing them.
 *
 * <p><b>Shutdown sends GOAWAY.</b> {@link io.grpc.Server#shutdown()} (what {@code KedaOtelScaler.close()}
 * calls first) sends HTTP/2 GOAWAY on every connection before anything is torn down: clients stop
 * starting calls on it, finish the ones in flight, and open a new connection for the next call — to the
 * restarted server or, through the Service, another ready replica. Tested in
 * {@code ReconnectAcrossRestartTest}.
 *
 * <p><b>No maximum connection age.</b> It would move KEDA's long-lived connection between replicas over
 * time, but every expiry ends the open {@code StreamIsActive} streams, and KEDA's push loop waits before
 * re-opening a stream with a back-off that doubles up to a minute and is never reset (KEDA
 * {@code pkg/scalers/external_scaler.go}, {@code externalPushScaler.Run}). Replicas all hold the full
 * window (docs/scaling.md), so any one of them is as good as another; balance is not worth pauses in the
 * pushed signal. Collectors in the replica topology address each pod directly, so rebalancing does not
 * apply to them either.
 */
final class GrpcConnections {
    /** Clients may ping this often (grpc-go's minimum client keep-alive time is 10 s). */
    static final long PERMIT_PING_SECONDS = 5;
    /** The server pings a connection after this long without frames. */
    static final long PING_AFTER_IDLE_SECONDS = 30;
    /** A ping not answered within this closes the connection. */
    static final long PING_TIMEOUT_SECONDS = 10;

    private GrpcConnections() {
    }

    /** Applies the policy to one port's builder. */
    static NettyServerBuilder apply(NettyServerBuilder builder) {
        return builder
                .permitKeepAliveTime(PERMIT_PING_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .keepAliveTime(PING_AFTER_IDLE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(PING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
