package dev.kedaotel.bench;

import dev.kedaotel.receiver.ExportResult;
import dev.kedaotel.receiver.MalformedOtlpException;
import dev.kedaotel.receiver.OtlpIngestor;
import dev.kedaotel.receiver.ReceiverConfig;
import dev.kedaotel.receiver.ReceiverStats;
import java.util.List;

/**
 * The in-process ingest workload shared by {@link IngestBench} and {@link IngestCpuProbe}: 1,000-point
 * requests over {@code series} counter series, sent in the same order every time (as exporters do), each
 * re-stamped so every series gets a sample every 5 s of store time. The constructor creates every series,
 * so {@link #exportNext()} measures appends to existing series only.
 */
final class IngestWorkload implements AutoCloseable {
    final BenchStore bench;
    final OtlpIngestor ingestor;
    private final List<OtlpRequests> requests;
    private final long stepMs;
    private int next;

    IngestWorkload(int series, ReceiverConfig config) throws MalformedOtlpException {
        bench = new BenchStore(series, 32);
        ingestor = OtlpIngestor.forStore(bench.store, config, new ReceiverStats());
        requests = OtlpRequests.covering(series, 1000);
        stepMs = Math.max(1, 5000 / requests.size());
        for (int i = 0; i < requests.size(); i++) {
            exportNext();
        }
        if (bench.store.seriesCount() != series) {
            throw new IllegalStateException("expected " + series + " series, store has " + bench.store.seriesCount());
        }
    }

    /** Requests per pass over all series. */
    int requestsPerPass() {
        return requests.size();
    }

    /** Sends the next request (1,000 points); fails on any rejected point. */
    ExportResult exportNext() throws MalformedOtlpException {
        OtlpRequests r = requests.get(next);
        if (++next == requests.size()) {
            next = 0;
        }
        long ts = bench.nowMs += stepMs;
        r.stamp(ts, ts);
        ExportResult result = ingestor.export(r.bytes(), ReceiverStats.Transport.GRPC);
        if (!result.isFullSuccess()) {
            throw new IllegalStateException("rejected: " + result);
        }
        return result;
    }

    @Override
    public void close() {
        bench.close();
    }
}
