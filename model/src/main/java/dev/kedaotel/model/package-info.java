/**
 * The vocabulary every module shares, each concept in one class (Prometheus keeps the same things in
 * its {@code model} packages):
 * <ul>
 *   <li>{@link dev.kedaotel.model.Labels}, {@link dev.kedaotel.model.LabelNames},
 *       {@link dev.kedaotel.model.SymbolLookup}: label sets, eager or decoded on demand from a store;</li>
 *   <li>{@link dev.kedaotel.model.LabelMatcher}: {@code =, !=, =~, !~} with Prometheus' absent-label rules;</li>
 *   <li>{@link dev.kedaotel.model.PrometheusNames}: metric and label name validity and sanitising;</li>
 *   <li>{@link dev.kedaotel.model.StaleMarker}: Prometheus' staleness NaN;</li>
 *   <li>{@link dev.kedaotel.model.GoFloats}, {@link dev.kedaotel.model.Durations},
 *       {@link dev.kedaotel.model.GoJson}, {@link dev.kedaotel.model.GoStrings}: number, duration, JSON
 *       and quoted-string text exactly as Go and Prometheus read and write it;</li>
 *   <li>{@link dev.kedaotel.model.LogField}: a named value a log line carries as a structured field;</li>
 *   <li>{@link dev.kedaotel.model.TimeSource}, {@link dev.kedaotel.model.ManualTimeSource}: the clocks,
 *       handed to every component by the composition root.</li>
 * </ul>
 * Public API: all of the above. Threads: none; every class is immutable or thread-safe.
 */
package dev.kedaotel.model;
