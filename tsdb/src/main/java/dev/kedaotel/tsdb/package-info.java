/**
 * The in-memory window store. Public API: {@link dev.kedaotel.tsdb.TimeSeriesStore} (the facade:
 * appenders, selection, reads, retention, change listeners), {@link dev.kedaotel.tsdb.Appender} and
 * {@link dev.kedaotel.tsdb.LabelSetBuilder} (the allocation-free write path),
 * {@link dev.kedaotel.tsdb.SymbolTable}, and the value types {@link dev.kedaotel.model.Labels},
 * {@link dev.kedaotel.model.LabelMatcher}, {@link dev.kedaotel.tsdb.SampleBuffer},
 * {@link dev.kedaotel.tsdb.IntList}, {@link dev.kedaotel.model.StaleMarker},
 * {@link dev.kedaotel.tsdb.AppendResult}, {@link dev.kedaotel.model.PrometheusNames}.
 *
 * <p>Everything else is package-private: {@code SampleRings} (per-series off-heap block chains and the
 * lock-free read protocol), {@code BlockPool} (fixed-size sample blocks), {@code SampleCodec} (compressed
 * sample encoding and block layout), the registry and the label index. Their Javadoc documents memory layouts and who writes,
 * who reads, and how each write is published.
 */
package dev.kedaotel.tsdb;
