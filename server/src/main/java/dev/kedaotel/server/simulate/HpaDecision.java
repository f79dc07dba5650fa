package dev.kedaotel.server.simulate;

/**
 * The outcome of one HPA sync.
 *
 * @param recommendation the replica count the metrics ask for before stabilization and policies
 *                       ({@code -1} when no recommendation could be made)
 * @param replicas       the replica count the HPA sets
 * @param reason         why, in the words of the HPA's conditions where it has them
 *                       ({@code ScaleUpLimit}, {@code TooFewReplicas}, ...)
 */
record HpaDecision(int recommendation, int replicas, String reason) {
}
