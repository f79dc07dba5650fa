/**
 * The shared vocabulary of every other module (Prometheus' {@code model} package has the same role):
 * labels and matchers, metric and label names, Go-exact float, duration, JSON and string text, and
 * the {@code TimeSource} the composition root hands to everyone. No dependencies; no threads.
 */
module dev.kedaotel.model {
    exports dev.kedaotel.model;
}
