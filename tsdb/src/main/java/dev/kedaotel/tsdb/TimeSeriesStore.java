package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import dev.kedaotel.model.TimeSource;

/**
 * The in-memory window store: series registry, inverted label index and per-series off-heap rings.
 *
 * <p>Series are addressed by an int "series ref"; a ref names one series until that series is removed
 * by retention, and is not reused for {@link StoreConfig#reuseGraceMs()} after that.
 *
 * <p>Concurrency:
 * <ul>
 *   <li>Appends to existing series take no store lock: registry lookup is lock-free
 *       ({@link SeriesRegistry}), the ring write takes only the series' own writer CAS
 *       ({@link SampleRings}).</li>
 *   <li>Creating and removing series serialise on one write lock held by the creating appender or the
 *       retention thread; under it the registry, the label index (whose own lock excludes concurrent
 *       selections) and the epoch change.</li>
 *   <li>Reads ({@link #read}, {@link #lastTimestamp}, {@link #labels}) take no lock; {@link #select} and the
 *       label listings take the index' read lock.</li>
 *   <li>Listeners are a copy-on-write array; they are called on the committing or expiring thread.</li>
 * </ul>
 * {@link #close()} frees off-heap memory: call it only once no thread uses the store any more.
 *
 * <p>Persistence ({@link StoreConfig#dataDirectory()}, off by default): the sample chunks and series
 * headers are memory-mapped files instead of anonymous memory (same layout, same lock-free code), each
 * series creation and removal is journaled under the write lock before it takes effect
 * ({@link SeriesJournal}), and {@link #open} restores all of it after a restart, {@code kill -9}
 * included ({@link StoreOpening}, {@link RestoreReport}). What is lost on which failure:
 * docs/architecture.md, "Persistence".
 */
public final class TimeSeriesStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TimeSeriesStore.class.getName());

    private final StoreConfig config;
    private final TimeSource time;
    private final SymbolTable symbols;
    private final int metricNameLabel;
    private final SampleRings rings;
    private final SeriesRegistry registry;
    private final LabelIndex index;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LongAdder[] counts = new LongAdder[AppendResult.COUNT];
    private final Object listenerLock = new Object();
    private volatile ChangeListener[] listeners = new ChangeListener[0];
    private volatile long epoch;
    private volatile boolean closed;
    private int nextGeneration;
    private final SeriesLimitLog seriesLimitLog;
    /** Persistence (all null without a data directory); the journal is used under the write lock. */
    private final DataDirectory dataDirectory;
    private final MappedFiles files;
    private final SeriesJournal journal;
    private final RestoreReport restoreReport;

    /**
     * A store on {@code config}; with a {@link StoreConfig#dataDirectory() data directory} it restores the
     * window persisted there (see {@link #open} and {@link #restoreReport()}).
     *
     * @throws IllegalStateException when the data directory cannot be created, written or locked (another
     *     process uses it); corrupt or incompatible contents never throw, they are moved aside
     */
    public TimeSeriesStore(StoreConfig config) {
        this(config, StoreOpening.open(checked(config)));
    }

    /**
     * Opens a store on {@code config}'s data directory, restoring the window persisted there (what was
     * found and done: {@link #restoreReport()}); without a data directory, the same as the constructor.
     *
     * @throws IllegalStateException when the data directory cannot be created, written or locked
     */
    public static TimeSeriesStore open(StoreConfig config) {
        return new TimeSeriesStore(config);
    }

    private static StoreConfig checked(StoreConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config is required");
        }
        return config;
    }

    private TimeSeriesStore(StoreConfig config, StoreOpening.Parts parts) {
        this.config = config;
        this.time = config.time();
        this.symbols = parts.symbols;
        this.metricNameLabel = parts.metricNameLabel;
        this.rings = parts.rings;
        this.registry = parts.registry;
        this.index = parts.index;
        this.nextGeneration = parts.nextGeneration;
        this.dataDirectory = parts.dir;
        this.files = parts.files;
        this.journal = parts.journal;
        this.restoreReport = parts.report;
        this.seriesLimitLog = new SeriesLimitLog(time);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public StoreConfig config() {
        return config;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /** A new write handle; keep one per ingest thread. */
    public Appender newAppender() {
        return new Appender(this);
    }

    public void addListener(ChangeListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is required");
        }
        synchronized (listenerLock) {
            ChangeListener[] ls = Arrays.copyOf(listeners, listeners.length + 1);
            ls[ls.length - 1] = listener;
            listeners = ls;
        }
    }

    public void removeListener(ChangeListener listener) {
        synchronized (listenerLock) {
            ChangeListener[] ls = listeners;
            for (int i = 0; i < ls.length; i++) {
                if (ls[i] == listener) {
                    ChangeListener[] out = new ChangeListener[ls.length - 1];
                    System.arraycopy(ls, 0, out, 0, i);
                    System.arraycopy(ls, i + 1, out, i, ls.length - i - 1);
                    listeners = out;
                    return;
                }
            }
        }
    }

    // ---- read side -------------------------------------------------------------------------------

    /**
     * Appends to {@code out} the refs of live series matching all matchers (AND), in ascending ref
     * order (not label order: callers that need label order sort, most queries aggregate and do not).
     * Matchers follow {@link LabelMatcher} semantics (absent label = ""). An empty matcher list selects
     * nothing. A selected series may be removed by retention right afterwards: {@link #labels} then
     * returns null and {@link #read} copies nothing, so callers skip such refs.
     */
    public void select(List<LabelMatcher> matchers, IntList out) {
        index.select(matchers, out, Cancellation.NONE);
    }

    /**
     * {@link #select(List, IntList)} that the caller can stop: {@code cancellation} is checked every
     * {@value LabelIndex#CHECK_EVERY_VALUES} label values a regex or inequality matcher is tested
     * against, so a selection over many values (each match is linear in the value's length) cannot
     * outlive its query's deadline. When the check throws, {@code out} may hold some refs.
     */
    public <E extends Exception> void select(List<LabelMatcher> matchers, IntList out, Cancellation<E> cancellation)
            throws E {
        index.select(matchers, out, cancellation);
    }

    /**
     * The label set of a live series, or null if the ref is not live. Built on demand from the series' key
     * (a new, equal instance on every call; its values are decoded lazily, see {@link Labels}): callers that
     * need it repeatedly keep it.
     */
    public Labels labels(int seriesRef) {
        return registry.labels(seriesRef);
    }

    /**
     * Copies the series' samples with {@code minTs <= t <= maxTs} into {@code out} (appending, oldest
     * first, samples that arrived out of order merged in at their timestamps) and returns how many were
     * copied. Never blocks writers; never returns a torn sample.
     * Staleness markers are included (see {@link StaleMarker}).
     */
    public int read(int seriesRef, long minTs, long maxTs, SampleBuffer out) {
        int generation = registry.generation(seriesRef);
        if (generation == 0 || minTs > maxTs || closed) {
            return 0;
        }
        return rings.read(seriesRef, generation, minTs, maxTs, out);
    }

    /** Timestamp of the series' newest sample, or Long.MIN_VALUE if it has none or is not live. */
    public long lastTimestamp(int seriesRef) {
        int generation = registry.generation(seriesRef);
        return generation == 0 || closed ? Long.MIN_VALUE : rings.lastTimestamp(seriesRef, generation);
    }

    /** All label names of live series, sorted. */
    public List<String> labelNames() {
        return index.labelNames();
    }

    /** All values of one label over live series, sorted. */
    public List<String> labelValues(String name) {
        return index.labelValues(name);
    }

    /** Number of live series. */
    public int seriesCount() {
        return registry.live();
    }

    /** Incremented whenever a series is created or removed, so readers can cache selections. */
    public long seriesEpoch() {
        return epoch;
    }

    /** Per-outcome counts since start, indexed by {@link AppendResult} codes. */
    public long appendCount(int appendResult) {
        if (appendResult < 0 || appendResult >= counts.length) {
            throw new IllegalArgumentException("unknown append result code " + appendResult);
        }
        return counts[appendResult].sum();
    }

    /**
     * Samples refused because the series cap ({@link AppendResult#SERIES_LIMIT}) or the per-metric cap
     * ({@link AppendResult#SERIES_PER_METRIC_LIMIT}) was full, by metric name: at most 100 names, later
     * ones counted under {@code _other_}. A snapshot.
     */
    public java.util.Map<String, Long> seriesLimitRejections() {
        return seriesLimitLog.counts();
    }

    /** One entry of {@link #seriesLimitRejections()} (0 for a name not counted). */
    public long seriesLimitRejections(String metric) {
        return seriesLimitLog.count(metric);
    }

    /** Off-heap bytes reserved for rings so far (self-metrics). */
    public long ringBytesReserved() {
        return rings.pool().bytesReserved();
    }

    // ---- persistence ---------------------------------------------------------------------------------

    /** What opening the store found and did (outcome {@link RestoreReport.Outcome#DISABLED} without a data directory). */
    public RestoreReport restoreReport() {
        return restoreReport;
    }

    /**
     * Whether persistence degraded since the store was opened (a page file or journal record could not be
     * written, e.g. a full disk): samples are still accepted, but what is not on disk is lost at the next
     * restart. Always false without a data directory.
     */
    public boolean persistenceDegraded() {
        return dataDirectory != null && dataDirectory.degradedReason() != null;
    }

    /** Why persistence degraded (the first reason), or null. */
    public String persistenceDegradedReason() {
        return dataDirectory == null ? null : dataDirectory.degradedReason();
    }

    /**
     * Writes the persisted window back to disk now (msync of every mapped page, fsync of the journal); the
     * kernel does it on its own within its writeback interval, and {@link #close()} does it too. Only
     * protects against losing the node; a process crash loses nothing written to the page cache.
     */
    public void flush() {
        writeLock.lock();
        try {
            if (!closed && files != null) {
                files.force();
                journal.force();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Out-of-order samples held in the series' out-of-order buffers now (self-metrics). */
    public long outOfOrderSamples() {
        return rings.outOfOrder().samples();
    }

    /** Heap bytes of the out-of-order buffers now, arrays at capacity plus headers (self-metrics). */
    public long outOfOrderBytes() {
        return rings.outOfOrder().bytes();
    }

    /** Samples stored out of order since start, within the window (also counted as appended). */
    public long outOfOrderAppended() {
        return rings.outOfOrder().appended();
    }

    // ---- retention -------------------------------------------------------------------------------

    /**
     * Removes series with no sample newer than now minus retention, notifies listeners, drops expired
     * out-of-order samples (and emptied buffers), and frees the symbols no series has held for the reuse
     * grace period; returns how many series it removed.
     */
    public int expire() {
        long now = time.wallMillis();
        int removed = removeSeries(now - config.retentionMs(), false, now);
        expireOutOfOrder(now - config.retentionMs());
        reclaimSymbols(now);
        return removed;
    }

    /** Under the write lock only so that {@link #close()} cannot free the headers meanwhile; skipped when nothing is buffered. */
    private void expireOutOfOrder(long minValidMs) {
        if (rings.outOfOrder().bytes() == 0) {
            return;
        }
        writeLock.lock();
        try {
            if (!closed) {
                rings.expireOutOfOrder(minValidMs);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Drops everything (kedify's POST /memstore/reset). */
    public void reset() {
        long now = time.wallMillis();
        int n = removeSeries(Long.MAX_VALUE, true, now);
        reclaimSymbols(now);
        LOG.log(System.Logger.Level.INFO, "store reset: removed {0} series", n);
    }

    /** Under the write lock, so that no series creation is between its symbol check and its retain. */
    private void reclaimSymbols(long now) {
        writeLock.lock();
        try {
            if (!closed) {
                symbols.reclaim(now);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Frees the off-heap memory. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (journal != null) {
                journal.close();
            }
            rings.close(); // with a data directory: every page forced, then unmapped
        } finally {
            writeLock.unlock();
            if (dataDirectory != null) {
                dataDirectory.close();
            }
        }
    }

    /** The series journal, or null without a data directory (tests inject journal failures through it). */
    SeriesJournal journal() {
        return journal;
    }

    /**
     * Tests: ends the store as a killed process would (nothing forced, nothing unmapped, the journal file
     * closed, the directory lock released), so another store can open the directory in the same JVM. The
     * mapped pages stay in this JVM's address space (they are the same page-cache pages the next store maps).
     */
    void abandonAsIfKilled() {
        writeLock.lock();
        try {
            closed = true;
            if (journal != null) {
                journal.abandon();
            }
        } finally {
            writeLock.unlock();
            if (dataDirectory != null) {
                dataDirectory.close();
            }
        }
    }

    /**
     * Picks candidates without the write lock (lock-free registry reads), then, under it, marks each one
     * dead through its writer CAS (re-checking its newest timestamp, so a concurrent append wins) and
     * removes it from registry and index. Killing and removing under the same lock means an appender that
     * sees its series dead and re-creates it (under that lock) never finds the dead one again.
     */
    private int removeSeries(long cutoffMs, boolean force, long now) {
        if (closed) {
            return 0;
        }
        IntList candidates = new IntList(); // ref, generation pairs
        int limit = registry.refLimit();
        for (int ref = 0; ref < limit; ref++) {
            int generation = registry.generation(ref);
            if (generation != 0 && (force || rings.lastTimestamp(ref, generation) < cutoffMs)) {
                candidates.add(ref);
                candidates.add(generation);
            }
        }
        if (candidates.size() == 0) {
            return 0;
        }
        IntList removed = new IntList(candidates.size() / 2);
        IntList removedHandles = journal == null ? null : new IntList(candidates.size());
        IntSet names = new IntSet();
        writeLock.lock();
        try {
            if (closed) {
                return 0;
            }
            for (int i = 0; i < candidates.size(); i += 2) {
                int ref = candidates.get(i);
                if (rings.remove(ref, candidates.get(i + 1), cutoffMs, force, now)) {
                    registry.remove(ref, now);
                    removed.add(ref);
                    if (removedHandles != null) {
                        removedHandles.add(ref);
                        removedHandles.add(candidates.get(i + 1));
                    }
                    int metricName = registry.metricNameSymbol(ref); // the key stays readable until reuse
                    if (metricName >= 0) {
                        names.add(metricName);
                    }
                }
            }
            if (removed.size() == 0) {
                return 0;
            }
            index.removeAll(removed);
            epoch++;
            if (journal != null) {
                journal.removed(removedHandles);
                if (journal.wantsCompaction()) {
                    journal.compact(registry, symbols); // bounded by the live series; creations wait meanwhile
                }
            }
        } finally {
            writeLock.unlock();
        }
        notifyListeners(names.elements(), names.size());
        return removed.size();
    }

    // ---- appender support (package-private) ------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    long nowMs() {
        return time.wallMillis();
    }

    SeriesRegistry registry() {
        return registry;
    }

    SampleRings rings() {
        return rings;
    }

    int count(int appendResult) {
        counts[appendResult].increment();
        return appendResult;
    }

    /**
     * Finds or creates the series of a canonical label set; returns its {@link SeriesRegistry#handle}, or,
     * when it cannot be created, the negated {@link AppendResult} code: a label limit, the series limit or
     * the per-metric series limit (both logged and counted per metric, see {@link SeriesLimitLog}).
     */
    long getOrCreate(LabelSetBuilder labels, long now) {
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            long found = registry.lookup(labels);
            if (found != SeriesRegistry.NONE) {
                return found;
            }
            if (!symbols.allCurrent(labels)) {
                return -AppendResult.STALE_SYMBOL; // an id held across its grace period: it names nothing now
            }
            int refused = checkLabels(labels);
            if (refused != AppendResult.APPENDED) {
                return -refused;
            }
            int metricName = labels.valueOf(metricNameLabel);
            if (registry.live() >= config.maxSeries()) {
                return -seriesLimit(AppendResult.SERIES_LIMIT, metricName, config.maxSeries());
            }
            int perMetric = config.maxSeriesPerMetric();
            if (perMetric > 0 && metricName >= 0 && index.seriesWith(metricNameLabel, metricName) >= perMetric) {
                return -seriesLimit(AppendResult.SERIES_PER_METRIC_LIMIT, metricName, perMetric);
            }
            int ref = registry.allocateRef(now);
            int generation = nextGeneration++;
            if (nextGeneration == 0) {
                nextGeneration = 1; // 0 marks a removed series in ring headers
            }
            if (journal != null) {
                journal.created(ref, generation, labels, symbols); // before the series can take a sample
            }
            symbols.retain(labels);
            rings.create(ref, generation, now);
            registry.insert(ref, generation, labels);
            index.add(ref, labels);
            epoch++;
            return SeriesRegistry.handle(ref, generation);
        } finally {
            writeLock.unlock();
        }
    }

    /** The label limits of a new series: {@link AppendResult#APPENDED} when within them, else the code. */
    private int checkLabels(LabelSetBuilder labels) {
        int n = labels.size();
        if (n > config.maxLabelsPerSeries()) {
            return AppendResult.TOO_MANY_LABELS;
        }
        for (int i = 0; i < n; i++) {
            if (symbols.utf8Length(labels.name(i)) > config.maxLabelNameLength()) {
                return AppendResult.LABEL_NAME_TOO_LONG;
            }
            if (symbols.utf8Length(labels.value(i)) > config.maxLabelValueLength()) {
                return AppendResult.LABEL_VALUE_TOO_LONG;
            }
        }
        return AppendResult.APPENDED;
    }

    private int seriesLimit(int code, int metricNameSymbol, int limit) {
        seriesLimitLog.rejected(metricNameSymbol < 0 ? "" : symbols.symbol(metricNameSymbol), code, limit);
        return code;
    }

    /** The {@code __name__} value symbol of a canonical label set, or -1. */
    int metricNameOf(LabelSetBuilder labels) {
        return labels.valueOf(metricNameLabel);
    }

    void notifyListeners(int[] metricNameSymbols, int count) {
        for (ChangeListener l : listeners) {
            try {
                l.metricsChanged(metricNameSymbols, count);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "change listener " + l + " failed", e);
            }
        }
    }
}
