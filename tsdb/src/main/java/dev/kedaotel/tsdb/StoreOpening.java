package dev.kedaotel.tsdb;

import dev.kedaotel.model.Labels;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the parts of a {@link TimeSeriesStore}: empty in anonymous memory without a data directory;
 * with one, restored from it (or empty on memory-mapped files when it is new, or after its contents were
 * found corrupt or incompatible and moved aside). Restore steps, single-threaded before the store is
 * published (docs/architecture.md, "Persistence"):
 * <ol>
 *   <li>Check the {@code MANIFEST} (format version, layout, CRC); replay the series journal (torn tail
 *       cut off, damage in the middle: moved aside).</li>
 *   <li>Map every header page and chunk file that exists (a file of the wrong size: moved aside; a
 *       missing chunk: fresh memory, no chain may reach into it).</li>
 *   <li>Per live journal series in ref order: validate and trim its chain and recompute its writer state
 *       ({@link SampleRings#restore}); if restored, intern its labels and insert it into the registry (at its
 *       ref and generation) and the label index; otherwise count it (aged out, damaged) and journal its
 *       removal.</li>
 *   <li>Free every ref, header and block nothing restored holds; continue generations after the journal's
 *       last one; compact the journal when removals dominate it.</li>
 * </ol>
 * Any failure reading the persisted state moves it aside and starts empty: never an exception for bad
 * data, only for a directory that cannot be created, written or locked.
 */
final class StoreOpening {
    private static final System.Logger LOG = System.getLogger(StoreOpening.class.getName());

    /** The store's components (fresh or restored) and, with a data directory, its persistence. */
    static final class Parts {
        final SymbolTable symbols;
        final int metricNameLabel;
        final SampleRings rings;
        final SeriesRegistry registry;
        final LabelIndex index;
        int nextGeneration = 1;
        DataDirectory dir;
        MappedFiles files;
        SeriesJournal journal;
        RestoreReport report;

        Parts(StoreConfig config, MemorySource chunks, MemorySource headers) {
            symbols = new SymbolTable(config.time(), config.symbolGraceMs());
            metricNameLabel = symbols.internPermanent(Labels.METRIC_NAME);
            rings = new SampleRings(config, chunks, headers);
            registry = new SeriesRegistry(config.reuseGraceMs(), symbols);
            index = new LabelIndex(symbols, registry);
        }
    }

    private StoreOpening() {
    }

    static Parts open(StoreConfig config) {
        long started = System.nanoTime();
        long now = config.time().wallMillis();
        Path path = config.dataDirectory();
        if (path == null) {
            Parts parts = new Parts(config, new OffHeapMemory(), new OffHeapMemory());
            parts.report = RestoreReport.disabled(now);
            return parts;
        }
        DataDirectory dir = DataDirectory.open(path);
        try {
            RestoreReport.Outcome outcome = RestoreReport.Outcome.FRESH;
            String reason = "";
            Path aside = null;
            if (!dir.isEmpty()) {
                try {
                    return restore(config, dir, now, started);
                } catch (DataDirectory.BadDataException | IOException | RuntimeException e) {
                    reason = e instanceof DataDirectory.BadDataException ? e.getMessage() : "restore failed: " + e;
                    aside = dir.moveAside(now);
                    outcome = RestoreReport.Outcome.MOVED_ASIDE;
                    LOG.log(System.Logger.Level.WARNING, "data directory " + dir.path() + " cannot be restored (" + reason
                            + "); its contents were moved to " + aside + " and the store starts empty", e);
                }
            }
            MappedFiles files = new MappedFiles(dir, config.fileAllocator());
            Parts parts = new Parts(config, files, files);
            try {
                dir.writeManifest(now);
                parts.journal = SeriesJournal.open(dir, 0, 0, 0);
            } catch (IOException | RuntimeException e) {
                parts.rings.close();
                throw e;
            }
            parts.dir = dir;
            parts.files = files;
            parts.report = new RestoreReport(outcome, reason, dir.path(), aside, 0, 0, 0, 0, 0, millisSince(started), now);
            return parts;
        } catch (IOException | RuntimeException e) {
            dir.close();
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            throw new IllegalStateException("cannot use data directory " + dir.path() + ": " + e, e);
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static Parts restore(StoreConfig config, DataDirectory dir, long now, long started)
            throws IOException, DataDirectory.BadDataException {
        long completeSince = dir.readManifest();
        SeriesJournal.Replay replay = SeriesJournal.replay(dir.journal());
        MappedFiles files = new MappedFiles(dir, config.fileAllocator());
        Parts parts = new Parts(config, files, files);
        try {
            mapPages(dir, files, parts.rings);
            long minValid = now - config.retentionMs();
            long maxValid = now > Long.MAX_VALUE - config.maxFutureMs() ? Long.MAX_VALUE : now + config.maxFutureMs();
            BitSet reachable = new BitSet(parts.rings.pool().created());
            BitSet live = new BitSet(replay.refLimit);
            IntList chain = new IntList();
            IntList dropped = new IntList(); // (ref, generation) pairs to journal as removed
            long[] end = new long[5];
            LabelSetBuilder labels = new LabelSetBuilder();
            byte[] scratch = new byte[256];
            int restored = 0;
            int agedOut = 0;
            int damaged = 0;
            long samples = 0;
            for (int ref = 0; ref < replay.refLimit; ref++) {
                long offset = replay.offsets[ref];
                if (offset < 0) {
                    continue;
                }
                int generation = replay.generations[ref];
                int outcome = restored >= config.maxSeries() ? SampleRings.DAMAGED
                        : parts.rings.restore(ref, generation, minValid, maxValid, reachable, chain, end);
                if (outcome == SampleRings.RESTORED) {
                    scratch = SeriesJournal.labelsOf(replay, offset, parts.symbols, labels, scratch);
                    labels.canonicalize();
                    if (labels.size() == 0 || parts.registry.lookup(labels) != SeriesRegistry.NONE) {
                        for (int i = 0; i < chain.size(); i++) {
                            reachable.clear(chain.get(i)); // set by this series only (restore refuses shared blocks)
                        }
                        outcome = SampleRings.DAMAGED;
                    }
                }
                if (outcome != SampleRings.RESTORED) {
                    if (outcome == SampleRings.AGED_OUT) {
                        agedOut++;
                    } else {
                        damaged++;
                    }
                    dropped.add(ref);
                    dropped.add(generation);
                    continue;
                }
                parts.symbols.retain(labels);
                parts.registry.restore(ref, generation, labels);
                parts.index.add(ref, labels);
                live.set(ref);
                restored++;
                samples += parts.rings.restoredSamples(ref);
            }
            parts.registry.finishRestore();
            parts.rings.finishRestore(live);
            parts.rings.pool().finishRestore(reachable);
            parts.nextGeneration = replay.lastGeneration + 1 == 0 ? 1 : replay.lastGeneration + 1;
            if (replay.data instanceof MappedByteBuffer) {
                IoUtil.unmap((MappedByteBuffer) replay.data);
            }
            parts.journal = SeriesJournal.open(dir, replay.validEnd, replay.live, replay.dead);
            parts.journal.removed(dropped);
            if (parts.journal.deadRecords() > 0 && parts.journal.deadRecords() * 4 > restored) {
                parts.journal.compact(parts.registry, parts.symbols);
            }
            if (restored == 0) {
                completeSince = now; // nothing survived: as incomplete as a fresh store
            }
            dir.writeManifest(completeSince);
            parts.dir = dir;
            parts.files = files;
            String reason = replay.tornBytes > 0
                    ? "cut off " + replay.tornBytes + " bytes of a series record torn by the previous process' end" : "";
            parts.report = new RestoreReport(RestoreReport.Outcome.RESTORED, reason, dir.path(), null, restored, samples,
                    agedOut, damaged, reachable.cardinality(), millisSince(started), completeSince);
            return parts;
        } catch (IOException | DataDirectory.BadDataException | RuntimeException e) {
            if (parts.journal != null) {
                parts.journal.close();
            }
            parts.rings.close();
            throw e;
        }
    }

    /** Maps the persisted header pages and chunks; removes temporary files of page allocations a crash interrupted. */
    private static void mapPages(DataDirectory dir, MappedFiles files, SampleRings rings)
            throws IOException, DataDirectory.BadDataException {
        deleteTemporaryFiles(dir.headers());
        deleteTemporaryFiles(dir.chunks());
        int headerPages = highestIndex(dir.headers(), "headers-") + 1;
        for (int page = 0; page < headerPages; page++) {
            UnsafeBuffer b = files.existing(MappedFiles.headerFile(dir.headers(), page), SampleRings.PAGE_BYTES);
            if (b != null) {
                rings.restoreHeaderPage(page, b);
            }
        }
        BlockPool pool = rings.pool();
        int chunks = highestIndex(dir.chunks(), "chunk-") + 1;
        for (int chunk = 0; chunk < chunks; chunk++) {
            pool.restoreChunk(chunk, files.existing(MappedFiles.chunkFile(dir.chunks(), chunk), BlockPool.CHUNK_BYTES));
        }
    }

    private static void deleteTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The highest index of the files named {@code prefix + 6 digits + ".dat"} in {@code dir}, or -1. */
    private static int highestIndex(Path dir, String prefix) throws IOException, DataDirectory.BadDataException {
        int max = -1;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".dat")) {
                    throw new DataDirectory.BadDataException("unexpected file " + p);
                }
                try {
                    max = Math.max(max, Integer.parseInt(name.substring(prefix.length(), name.length() - 4)));
                } catch (NumberFormatException e) {
                    throw new DataDirectory.BadDataException("unexpected file " + p);
                }
            }
        }
        return max;
    }
}
