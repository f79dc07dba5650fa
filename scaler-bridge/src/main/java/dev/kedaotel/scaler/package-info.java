/**
 * The KEDA external scaler: {@link dev.kedaotel.scaler.ExternalScalerService} (gRPC
 * {@code externalscaler.ExternalScaler}) over standing queries, trigger metadata parsing
 * ({@link dev.kedaotel.scaler.ScalerMetadata}, {@link dev.kedaotel.scaler.KubernetesQuantity}) and the
 * {@link dev.kedaotel.scaler.ScalerObserver} hook for self-metrics.
 */
package dev.kedaotel.scaler;
