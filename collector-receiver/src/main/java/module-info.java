/** OTLP/gRPC and OTLP/HTTP ingest; see the package documentation of {@code dev.kedaotel.receiver}. */
module dev.kedaotel.receiver {
    requires transitive dev.kedaotel.tsdb;
    requires transitive io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires com.google.protobuf;
    requires com.google.protobuf.util;
    requires proto.google.common.protos;
    requires io.opentelemetry.proto;

    exports dev.kedaotel.receiver;
}
