/**
 * TLS and mTLS for all four serving ports, with certificates reloaded from disk without a restart.
 *
 * <ul>
 *   <li>{@link dev.kedaotel.server.tls.TlsPolicy}: the protocol versions and cipher suites of every port;</li>
 *   <li>{@link dev.kedaotel.server.tls.TlsFiles}: which files (and settings) one port's material comes from;</li>
 *   <li>{@code TlsMaterial} and {@code Pem}: parsing and checking (parses, key matches certificate, not
 *       expired or not yet valid at the injected clock), identical at startup and on reload;</li>
 *   <li>{@link dev.kedaotel.server.tls.ReloadingTls}: grpc-java's swappable key and trust managers for one
 *       port, and the reload tick the composition root schedules;</li>
 *   <li>{@link dev.kedaotel.server.tls.GrpcTls}: the Netty context of a gRPC port over those managers
 *       (the Jetty ports take {@link dev.kedaotel.server.tls.ReloadingTls#sslContext()}).</li>
 * </ul>
 * Nothing here starts a thread or reads the system clock.
 */
package dev.kedaotel.server.tls;
