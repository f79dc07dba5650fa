/**
 * The in-memory window store. Public API: {@link dev.kedaotel.tsdb.TimeSeriesStore} (the facade:
 * appenders, selection, reads, retention, change listeners), {@link dev.kedaotel.tsdb.StoreConfig},
 * {@link dev.kedaotel.tsdb.Appender} and {@link dev.kedaotel.tsdb.LabelSetBuilder} (the allocation-free
 * write path), {@link dev.kedaotel.tsdb.SymbolTable}, {@link dev.kedaotel.tsdb.ChangeListener}, and the
 * value types {@link dev.kedaotel.tsdb.SampleBuffer}, {@link dev.kedaotel.tsdb.IntList},
 * {@link dev.kedaotel.tsdb.AppendResult}, {@link dev.kedaotel.tsdb.RestoreReport} (what opening a store on its
 * data directory restored). Labels, matchers, names and the staleness marker are the
 * model module's ({@code dev.kedaotel.model}).
 *
 * <p>Everything else is package-private: {@code SampleRings} (per-series off-heap block chains and the
 * lock-free read protocol), {@code BlockPool} (fixed-size sample blocks), {@code SampleCodec} (compressed
 * sample encoding and block layout), {@code OutOfOrderBuffers}/{@code OutOfOrderBuffer} (per-series sorted
 * buffers of samples that arrived late, within {@code StoreConfig#outOfOrderWindowMs()}, merged into
 * reads), the registry and the label index, and persistence ({@code MemorySource} with {@code OffHeapMemory}
 * or {@code MappedFiles}, {@code SeriesJournal}, {@code DataDirectory}, {@code StoreOpening}: the window in
 * memory-mapped files, restored by {@link dev.kedaotel.tsdb.TimeSeriesStore#open}). Their Javadoc documents memory
 * layouts and who writes, who reads, and how each write is published.
 *
 * <p>Threads: none of its own. Appends run on the caller's (ingest) threads, reads on the caller's
 * (query) threads; {@link dev.kedaotel.tsdb.TimeSeriesStore#expire()} runs on whatever thread the
 * composition root schedules it on (with a data directory it also journals removals and compacts the
 * journal); a restore runs on the thread that opens the store, before it is returned. Time comes from the {@code TimeSource} in the store's config.
 */
package dev.kedaotel.tsdb;
