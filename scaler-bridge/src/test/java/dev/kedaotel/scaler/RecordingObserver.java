package dev.kedaotel.scaler;

import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ScalerObserver} that remembers what it was told, and throws on request (a broken observer). */
final class RecordingObserver implements ScalerObserver {
    /** When set, {@link #onValue} and {@link #onError} throw it (after recording). */
    volatile RuntimeException failWith;
    final List<String> values = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<String> fallbacks = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> warmingUp = new CopyOnWriteArrayList<>();

    @Override
    public void onValue(String namespace, String scaledObject, String metricQuery, double value, boolean active) {
        values.add(namespace + "/" + scaledObject + "=" + value + (active ? " active" : " inactive"));
        throwIfAsked();
    }

    @Override
    public void onRemoved(String namespace, String scaledObject) {
        removed.add(namespace + "/" + scaledObject);
    }

    @Override
    public void onOperationFallback(String namespace, String scaledObject, String requested) {
        fallbacks.add(namespace + "/" + scaledObject + ":" + requested);
    }

    @Override
    public void onError(String rpc, Status.Code code) {
        errors.add(rpc + ":" + code);
        throwIfAsked();
    }

    @Override
    public void onWarmingUp(String rpc) {
        warmingUp.add(rpc);
    }

    private void throwIfAsked() {
        RuntimeException e = failWith;
        if (e != null) {
            throw e;
        }
    }
}
