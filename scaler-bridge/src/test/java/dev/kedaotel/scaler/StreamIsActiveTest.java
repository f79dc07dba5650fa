package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.query.standing.StandingQuery;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamIsActiveTest {
    private static final ScaledObjectRef SO = ref("ns", "so", "metricQuery", "sum(queue{app=web})", "targetValue", "5");

    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    private StreamRecorder<ScaledObjectRef, IsActiveResponse> open(ScaledObjectRef ref) {
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(ref, stream);
        return stream;
    }

    private StandingQuery queryOf(ScaledObjectRef ref) throws Exception {
        ScalerQuery compiled = new ScalerQueryCompiler(env.engine, ScalerTestEnv.RETENTION_MS)
                .compile(ScalerMetadata.parse(ref.getScalerMetadataMap()), ref.getNamespace());
        return env.queries.find(compiled.promql());
    }

    @Test
    void sendsTheCurrentAnswerWhenTheStreamOpens() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "queue", 3, "app", "web");
        assertTrue(open(SO).next().getResult());
    }

    @Test
    void flipsWithTheDataAndNeverRepeatsAnUnchangedAnswer() throws Exception {
        env = ScalerTestEnv.start();
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(SO);
        assertFalse(stream.next().getResult(), "no data yet: inactive");
        Await.until("the stream to subscribe", () -> env.service.openIsActiveStreams() == 1);

        env.put(1_000, "queue", 4, "app", "web");
        assertTrue(stream.next().getResult(), "data arrived: active");

        // Unchanged answers (still > 0) must not be re-sent; the flip to false then marks the end,
        // so anything queued before it would be a duplicate.
        for (int i = 0; i < 20; i++) {
            env.put(1_000, "queue", 4 + i, "app", "web");
        }
        env.put(1_000, "queue", 0, "app", "web");
        assertFalse(stream.next().getResult(), "data dropped to 0: inactive");

        env.put(1_000, "queue", 0, "app", "web");
        env.put(1_000, "queue", 2, "app", "web");
        assertTrue(stream.next().getResult());
        assertTrue(stream.messages.isEmpty(), "unexpected extra messages " + stream.messages);
        assertFalse(stream.ended());
    }

    @Test
    void flipsToInactiveWhenTheDataLeavesTheWindowWithoutIngest() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "queue", 3, "app", "web");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(SO);
        assertTrue(stream.next().getResult());
        // No commit: only the evaluator's ageing tick can notice the sample left the kedify window.
        env.clock.addAndGet(ScalerTestEnv.RETENTION_MS + 1_000);
        assertFalse(stream.next().getResult());
        assertFalse(stream.ended());
    }

    @Test
    void resendIntervalResendsTheUnchangedAnswer() throws Exception {
        env = ScalerTestEnv.start(c -> c.resendIntervalMs(20));
        env.put(1_000, "queue", 1, "app", "web");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(SO);
        List<Boolean> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            received.add(stream.next().getResult());
        }
        assertEquals(List.of(true, true, true, true), received);
    }

    @Test
    void cancellingTheStreamUnsubscribes() throws Exception {
        env = ScalerTestEnv.start();
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(SO);
        stream.next();
        StandingQuery query = queryOf(SO);
        Await.until("the subscription", () -> query.subscriberCount() == 1);

        stream.cancel();
        Await.until("the server to see the cancel", () -> env.service.openIsActiveStreams() == 0);
        assertEquals(0, query.subscriberCount());
    }

    /**
     * However early a call is cancelled — before its request is sent, right after, or through its
     * context while the server is still resolving the ScaledObject — nothing stays registered.
     */
    @Test
    void aStreamCancelledHoweverEarlyIsDeregistered() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "queue", 3, "app", "web");
        for (int i = 0; i < 200; i++) {
            // 0 to 4 ms between sending and cancelling, to land in every phase of the server's handling.
            long jitterNanos = (i % 50) * 80_000L;
            switch (i % 4) {
                case 0 -> {
                    ClientCall<ScaledObjectRef, IsActiveResponse> call =
                            env.channel.newCall(ExternalScalerGrpc.getStreamIsActiveMethod(), CallOptions.DEFAULT);
                    call.start(new ClientCall.Listener<>() { }, new Metadata());
                    call.cancel("cancelled before sending", null);
                }
                case 1 -> {
                    ClientCall<ScaledObjectRef, IsActiveResponse> call =
                            env.channel.newCall(ExternalScalerGrpc.getStreamIsActiveMethod(), CallOptions.DEFAULT);
                    call.start(new ClientCall.Listener<>() { }, new Metadata());
                    call.request(1);
                    call.sendMessage(SO);
                    call.halfClose();
                    LockSupport.parkNanos(jitterNanos);
                    call.cancel("cancelled right after sending", null);
                }
                case 2 -> {
                    Context.CancellableContext context = Context.current().withCancellation();
                    context.run(() -> env.async().streamIsActive(SO, new StreamRecorder<>()));
                    LockSupport.parkNanos(jitterNanos);
                    context.cancel(null);
                }
                default -> {
                    StreamRecorder<ScaledObjectRef, IsActiveResponse> opened = open(SO);
                    opened.next(); // certainly registered on the server
                    opened.cancel();
                }
            }
        }
        // HTTP/2 frames of one connection are read in order: once this answer is back, the server's
        // transport has seen every stream above that it will ever see.
        env.blocking().getMetricSpec(SO);
        Await.until("the server to finish every stream it saw", env.streamCalls::allFinished);

        assertEquals(0, env.service.openIsActiveStreams());
        assertEquals(1, env.service.scaledObjects().size());
        assertEquals(0, env.service.scaledObjects().get(0).openStreams());
        assertEquals(0, queryOf(SO).subscriberCount());

        // The bookkeeping is intact: a stream opened now counts as exactly one.
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(SO);
        assertTrue(stream.next().getResult());
        Await.until("the stream to register", () -> env.service.openIsActiveStreams() == 1);
        assertEquals(1, env.service.scaledObjects().get(0).openStreams());
        stream.cancel();
        Await.until("it to deregister", () -> env.service.openIsActiveStreams() == 0
                && env.service.scaledObjects().get(0).openStreams() == 0);
    }

    @Test
    void anEvaluationErrorKeepsTheStreamOpenWithItsLastAnswer() throws Exception {
        env = ScalerTestEnv.start();
        // PromQL, not kedify syntax: errors once it matches more than one series.
        ScaledObjectRef so = ref("ns", "err", "metricQuery", "jobs * 1", "targetValue", "1");
        env.put(1_000, "jobs", 5, "pod", "a");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(so);
        assertTrue(stream.next().getResult());

        env.put(1_000, "jobs", 5, "pod", "b");
        Await.until("the error to be seen", () -> env.observer.errors.contains("StreamIsActive:INVALID_ARGUMENT"));
        assertFalse(stream.ended(), "stream must survive an evaluation error");

        // pod=b goes stale (engine lookback is 30 s) while pod=a reports 0: one series again.
        env.clock.addAndGet(40_000);
        env.put(0, "jobs", 0, "pod", "a");
        assertFalse(stream.next().getResult());
        assertTrue(stream.messages.isEmpty());
        assertFalse(stream.ended());
    }

    @Test
    void badMetadataEndsTheStreamWithInvalidArgument() throws Exception {
        env = ScalerTestEnv.start();
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = open(ref("ns", "bad", "metricQuery", "x"));
        Await.until("the stream to end", stream::ended);
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(stream.error).getCode());
        assertTrue(Status.fromThrowable(stream.error).getDescription().contains("targetValue"));
    }

    @Test
    void manyStreamsOnOneQueryShareItsSubscriptionMechanics() throws Exception {
        env = ScalerTestEnv.start();
        List<StreamRecorder<ScaledObjectRef, IsActiveResponse>> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StreamRecorder<ScaledObjectRef, IsActiveResponse> stream =
                    open(ref("ns", "so" + i, "metricQuery", "sum(queue{app=web})", "targetValue", "5"));
            assertFalse(stream.next().getResult());
            streams.add(stream);
        }
        assertEquals(1, env.queries.size());
        Await.until("all subscriptions", () -> env.service.openIsActiveStreams() == 5);
        env.put(1_000, "queue", 1, "app", "web");
        for (StreamRecorder<ScaledObjectRef, IsActiveResponse> stream : streams) {
            assertTrue(stream.next().getResult());
        }
    }
}
