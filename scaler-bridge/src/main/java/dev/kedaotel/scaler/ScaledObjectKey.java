package dev.kedaotel.scaler;

/** Identity of a ScaledObject as KEDA names it in {@code ScaledObjectRef}. */
public record ScaledObjectKey(String namespace, String name) {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
