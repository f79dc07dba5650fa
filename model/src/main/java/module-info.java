/**
 * The shared vocabulary of every other module (Prometheus' {@code model} package has the same role):
 * labels and matchers, metric and label names, Go-exact float, duration, JSON and string text, and
 * the {@code TimeSource} the composition root hands to everyone. One dependency, RE2/J, for Go's regexps
 * (its jar names no module, so its automatic module name comes from the file name: {@code re2j});
 * no threads.
 */
module dev.kedaotel.model {
    requires re2j;
    exports dev.kedaotel.model;
}
