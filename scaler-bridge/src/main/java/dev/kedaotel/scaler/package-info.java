/**
 * The KEDA external scaler: {@link dev.kedaotel.scaler.ExternalScalerService} (gRPC
 * {@code externalscaler.ExternalScaler}) over standing queries, trigger metadata parsing
 * ({@link dev.kedaotel.scaler.ScalerMetadata}, {@link dev.kedaotel.scaler.KubernetesQuantity}), the
 * {@link dev.kedaotel.scaler.ScalerObserver} hook for self-metrics, and the listable state
 * ({@link dev.kedaotel.scaler.ScaledObjectSnapshot} from
 * {@link dev.kedaotel.scaler.ExternalScalerService#scaledObjects()}).
 *
 * <p>Public API: the classes above plus {@code ScalerConfig}, {@code ScalerQuery}, {@code ScalerValue},
 * {@code ScaledObjectKey}, {@code WarmUp} (no answer from a partial window after a start) and the
 * generated {@code externalscaler} package. Threads: RPCs run on the gRPC threads; the idle sweep,
 * stream re-sends and the warm-up check of held streams run on the scheduler the composition root
 * passes to the service's constructor; no thread is created here.
 */
package dev.kedaotel.scaler;
