package dev.kedaotel.server.simulate;

import java.util.List;

/**
 * The state after one instant of the replay at which something read the metric (a KEDA poll or push, an HPA
 * sync).
 *
 * @param timeMs         epoch milliseconds
 * @param readings       one per trigger
 * @param active         KEDA's view: any trigger above its activation threshold
 * @param kedaAction     what KEDA did ({@code ""}: nothing, or no KEDA check at this instant)
 * @param recommendation the HPA's recommendation from the metrics, {@code -1} when it made none
 * @param replicas       the replica count afterwards
 * @param reason         why the replica count is what it is
 */
record Row(long timeMs, List<MetricReading> readings, boolean active, String kedaAction, int recommendation,
           int replicas, String reason) {
}
