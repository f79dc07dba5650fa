/**
 * KEDA's external scaler service over standing queries; see the package documentation of
 * {@code dev.kedaotel.scaler}. Also exports the classes generated from KEDA's externalscaler.proto.
 */
module dev.kedaotel.scaler {
    requires transitive dev.kedaotel.query;
    requires transitive io.grpc;
    requires transitive io.grpc.stub;
    requires transitive com.google.protobuf;
    requires io.grpc.protobuf;
    requires com.google.common; // the generated future stub returns ListenableFuture
    requires static java.annotation;

    exports dev.kedaotel.scaler;
    exports dev.kedaotel.scaler.externalscaler;
}
