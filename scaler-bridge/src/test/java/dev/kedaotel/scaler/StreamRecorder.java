package dev.kedaotel.scaler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Client side of a server stream: records messages in arrival order and how the stream ended. */
final class StreamRecorder<Req, T> implements ClientResponseObserver<Req, T> {
    final LinkedBlockingQueue<T> messages = new LinkedBlockingQueue<>();
    volatile Throwable error;
    volatile boolean completed;
    private volatile ClientCallStreamObserver<Req> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<Req> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(T value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
        completed = true;
    }

    /** The next message, failing if none arrives within the bounded timeout. */
    T next() throws InterruptedException {
        T message = messages.poll(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(message, "no message within " + Await.TIMEOUT_MS + " ms (error=" + error + ", completed=" + completed + ")");
        return message;
    }

    boolean ended() {
        return error != null || completed;
    }

    void cancel() {
        call.cancel("test cancels", null);
    }
}
