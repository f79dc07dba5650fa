package dev.kedaotel.query.eval;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.AtModifier;
import dev.kedaotel.query.ast.BinaryExpr;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.NumberLiteral;
import dev.kedaotel.query.ast.StringLiteral;
import dev.kedaotel.query.ast.SubqueryExpr;
import dev.kedaotel.query.ast.UnaryExpr;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.model.StaleMarker;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One query's evaluation (instant, or each step of a range query) with Prometheus 2.42 semantics.
 *
 * <p>Selectors: an instant selector returns, per series, the latest sample in {@code [t − lookback, t]}
 * (t shifted by {@code offset}/pinned by {@code @}), unless that sample is a staleness marker; a range
 * selector returns the samples in {@code [t − range, t]}, markers excluded. Each selector's series are
 * selected once per query (cached by AST node identity) and samples are copied into one reusable
 * {@link SampleBuffer}, so evaluating a step allocates per series at most a vector slot, not per sample.
 *
 * <p>Single-threaded: an instance belongs to one query on one thread. The store is read concurrently
 * with ingest; a series removed mid-query simply yields no samples.
 */
public final class Evaluation {
    private static final int CHECK_EVERY = 256;

    private final TimeSeriesStore store;
    private final long lookbackMs;
    private final long maxSamples;
    /** The deadline's clock (the engine's {@link TimeSource}, so tests can run time out deterministically). */
    private final TimeSource ticker;
    private final long deadlineNanos;
    private final long startMs;
    private final long endMs;
    private final long stepMs;
    private final long defaultSubqueryStepMs;
    private final IdentityHashMap<VectorSelector, Selection> selections = new IdentityHashMap<>();
    private final SelectionCache sharedSelections;
    private final SampleBuffer buf = new SampleBuffer(256);
    private final double[] pair = new double[2];
    private double[] scratch = new double[64];
    /** Name-less copies of store label sets, so a range query builds each once rather than once per step. */
    private final IdentityHashMap<Labels, Labels> namelessLabels = new IdentityHashMap<>();
    private long samplesInStep;
    private long outputSamples;
    private int checkCounter;


    public Evaluation(TimeSeriesStore store, EngineConfig config, QueryOptions opts, long startMs, long endMs, long stepMs) {
        this(store, config, opts, startMs, endMs, stepMs, null);
    }

    /** @param sharedSelections selections kept across evaluations of the same expression, or null */
    public Evaluation(TimeSeriesStore store, EngineConfig config, QueryOptions opts, long startMs, long endMs, long stepMs,
                      SelectionCache sharedSelections) {
        this.store = store;
        this.sharedSelections = sharedSelections;
        this.lookbackMs = opts.lookbackDeltaMs() > 0 ? opts.lookbackDeltaMs() : config.lookbackDeltaMs();
        this.maxSamples = opts.maxSamples() > 0 ? opts.maxSamples() : config.maxSamples();
        long timeout = opts.timeoutMs() > 0 ? opts.timeoutMs() : config.timeoutMs();
        this.ticker = config.time();
        this.deadlineNanos = ticker.monotonicNanos() + timeout * 1_000_000L;
        this.startMs = startMs;
        this.endMs = endMs;
        this.stepMs = stepMs;
        this.defaultSubqueryStepMs = config.defaultSubqueryStepMs();
    }

    // ---- entry points ------------------------------------------------------------------------------

    public QueryResult instant(Expr e) throws PromQLException {
        long t = startMs;
        checkLimits();
        switch (e.type()) {
            case SCALAR:
                return QueryResult.scalar(t, evalScalar(e, t));
            case STRING:
                return QueryResult.string(t, stringValue(e));
            case VECTOR: {
                Vec v = evalVector(e, t);
                Labels[] labels = new Labels[v.size()];
                double[] values = new double[v.size()];
                for (int i = 0; i < v.size(); i++) {
                    labels[i] = v.labels(i);
                    values[i] = v.value(i);
                }
                return QueryResult.vector(t, labels, values);
            }
            default:
                return QueryResult.matrix(sorted(evalMatrix(e, t)));
        }
    }

    public QueryResult range(Expr e) throws PromQLException {
        Map<Labels, SeriesBuilder> out = new HashMap<>();
        boolean scalar = e.type() == ValueType.SCALAR;
        for (long t = startMs; t <= endMs; t += stepMs) {
            samplesInStep = 0;
            checkLimits();
            if (scalar) {
                out.computeIfAbsent(Labels.EMPTY, SeriesBuilder::new).add(t, evalScalar(e, t));
                outputSamples++;
            } else {
                Vec v = evalVector(e, t);
                for (int i = 0; i < v.size(); i++) {
                    out.computeIfAbsent(resultLabels(v, i), SeriesBuilder::new).add(t, v.value(i));
                }
                outputSamples += v.size();
            }
            countSamples(0);
        }
        List<QueryResult.Series> series = new ArrayList<>(out.size());
        for (SeriesBuilder b : out.values()) {
            series.add(b.build());
        }
        return QueryResult.matrix(sorted(series));
    }

    private Labels resultLabels(Vec v, int i) {
        return v.dropName ? namelessLabels.computeIfAbsent(v.rawLabels(i), Labels::withoutMetricName) : v.rawLabels(i);
    }

    private static List<QueryResult.Series> sorted(List<QueryResult.Series> s) {
        s.sort((a, b) -> a.labels().compareTo(b.labels()));
        return s;
    }

    // ---- scalars and strings -----------------------------------------------------------------------

    double evalScalar(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        if (e instanceof NumberLiteral) {
            return ((NumberLiteral) e).value();
        }
        if (e instanceof UnaryExpr) {
            double v = evalScalar(((UnaryExpr) e).expr(), t);
            return ((UnaryExpr) e).negate() ? -v : v;
        }
        if (e instanceof BinaryExpr) {
            BinaryExpr b = (BinaryExpr) e;
            return BinaryOps.scalarScalar(b.op(), evalScalar(b.lhs(), t), evalScalar(b.rhs(), t), b.returnBool());
        }
        if (e instanceof Call) {
            Call c = (Call) e;
            switch (c.function().name()) {
                case "time": return t / 1000.0;
                case "pi": return Math.PI;
                case "scalar": {
                    Vec v = evalVector(c.args().get(0), t);
                    return v.size() == 1 ? v.value(0) : Double.NaN;
                }
                default: break;
            }
        }
        throw PromQLException.execution("evaluating " + e + " as a scalar is not supported");
    }

    static String stringValue(Expr e) throws PromQLException {
        Expr u = Exprs.unwrapParens(e);
        if (u instanceof StringLiteral) {
            return ((StringLiteral) u).value();
        }
        throw PromQLException.execution("evaluating " + e + " as a string is not supported");
    }

    // ---- instant vectors -----------------------------------------------------------------------------

    Vec evalVector(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        if (e instanceof VectorSelector) {
            return selectInstant((VectorSelector) e, t);
        }
        if (e instanceof Call) {
            return call((Call) e, t);
        }
        if (e instanceof AggregateExpr) {
            AggregateExpr a = (AggregateExpr) e;
            double param = Double.NaN;
            String stringParam = null;
            if (a.op().paramType() == ValueType.SCALAR) {
                param = evalScalar(a.param(), t);
            } else if (a.op() == AggregateOp.COUNT_VALUES) {
                stringParam = stringValue(a.param());
            }
            return Aggregations.aggregate(a, evalVector(a.expr(), t), param, stringParam);
        }
        if (e instanceof BinaryExpr) {
            BinaryExpr b = (BinaryExpr) e;
            boolean lv = b.lhs().type() == ValueType.VECTOR;
            boolean rv = b.rhs().type() == ValueType.VECTOR;
            if (lv && rv) {
                return BinaryOps.vectorVector(b.op(), evalVector(b.lhs(), t), evalVector(b.rhs(), t), b.matching(),
                        b.returnBool());
            }
            if (lv) {
                return BinaryOps.vectorScalar(b.op(), evalVector(b.lhs(), t), evalScalar(b.rhs(), t), false, b.returnBool());
            }
            return BinaryOps.vectorScalar(b.op(), evalVector(b.rhs(), t), evalScalar(b.lhs(), t), true, b.returnBool());
        }
        if (e instanceof UnaryExpr) {
            UnaryExpr u = (UnaryExpr) e;
            Vec in = evalVector(u.expr(), t);
            if (!u.negate()) {
                return in;
            }
            Vec out = new Vec(in.size());
            for (int i = 0; i < in.size(); i++) {
                out.add(in.rawLabels(i), -in.value(i));
            }
            out.dropName = true;
            return out;
        }
        throw PromQLException.execution("evaluating " + e + " as an instant vector is not supported");
    }

    private Selection selection(VectorSelector vs) {
        Selection s = selections.get(vs);
        if (s == null && sharedSelections != null) {
            s = sharedSelections.get(vs, store.seriesEpoch());
        }
        if (s == null) {
            long epoch = store.seriesEpoch(); // before selecting: see SelectionCache
            IntList refs = new IntList();
            store.select(vs.matchers(), refs);
            int[] live = new int[refs.size()];
            Labels[] labels = new Labels[refs.size()];
            int n = 0;
            for (int i = 0; i < refs.size(); i++) {
                Labels l = store.labels(refs.get(i));
                if (l != null) {
                    live[n] = refs.get(i);
                    labels[n] = l;
                    n++;
                }
            }
            s = new Selection(epoch, java.util.Arrays.copyOf(live, n), java.util.Arrays.copyOf(labels, n));
            if (sharedSelections != null) {
                sharedSelections.put(vs, s);
            }
        }
        selections.put(vs, s);
        return s;
    }

    private long referenceTime(AtModifier at, long offsetMs, long t) {
        return (at == null ? t : at.resolve(startMs, endMs)) - offsetMs;
    }

    private Vec selectInstant(VectorSelector vs, long t) throws PromQLException {
        Selection sel = selection(vs);
        long refT = referenceTime(vs.at(), vs.offsetMs(), t);
        // Prometheus 2.42 includes a sample exactly lookback old: the window is [refT − lookback, refT].
        long oldest = refT - lookbackMs;
        Vec out = new Vec(sel.refs.length);
        for (int i = 0; i < sel.refs.length; i++) {
            tick();
            int ref = sel.refs[i];
            long last = store.lastTimestamp(ref);
            if (last == Long.MIN_VALUE || last < oldest) {
                continue;
            }
            buf.clear();
            // Usually the newest sample is the one wanted: read just it instead of the whole look-back window.
            if (last > refT || store.read(ref, last, last, buf) == 0) {
                buf.clear();
                store.read(ref, oldest, refT, buf);
            }
            int n = buf.size();
            if (n == 0) {
                continue;
            }
            long ts = buf.timestamp(n - 1);
            double v = buf.value(n - 1);
            if (ts > refT || ts < oldest || StaleMarker.isStale(v)) {
                continue;
            }
            out.addWithTimestamp(sel.labels[i], v, ts);
        }
        countSamples(out.size());
        return out;
    }

    /** Reads [minTs, maxTs] of one series into {@link #buf}, dropping staleness markers; returns the count. */
    private int readRange(int ref, long minTs, long maxTs) throws PromQLException {
        buf.clear();
        store.read(ref, minTs, maxTs, buf);
        int n = buf.size();
        double[] v = buf.valueArray();
        long[] ts = buf.timestampArray();
        int w = 0;
        for (int r = 0; r < n; r++) {
            if (!StaleMarker.isStale(v[r])) {
                v[w] = v[r];
                ts[w] = ts[r];
                w++;
            }
        }
        buf.truncate(w);
        countSamples(w);
        return w;
    }

    // ---- range vectors ---------------------------------------------------------------------------------

    /** The raw series of a range-vector expression at {@code t} (top-level matrix results). */
    private List<QueryResult.Series> evalMatrix(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        List<QueryResult.Series> out = new ArrayList<>();
        if (e instanceof MatrixSelector) {
            MatrixSelector ms = (MatrixSelector) e;
            VectorSelector vs = ms.selector();
            Selection sel = selection(vs);
            long refT = referenceTime(vs.at(), vs.offsetMs(), t);
            for (int i = 0; i < sel.refs.length; i++) {
                tick();
                int n = readRange(sel.refs[i], refT - ms.rangeMs(), refT);
                if (n > 0) {
                    out.add(new QueryResult.Series(sel.labels[i], java.util.Arrays.copyOf(buf.timestampArray(), n),
                            java.util.Arrays.copyOf(buf.valueArray(), n)));
                }
            }
            return out;
        }
        if (e instanceof SubqueryExpr) {
            SubqueryExpr sq = (SubqueryExpr) e;
            for (SeriesBuilder b : evalSubquery(sq, referenceTime(sq.at(), sq.offsetMs(), t)).values()) {
                out.add(b.build());
            }
            return out;
        }
        throw PromQLException.execution("evaluating " + e + " as a range vector is not supported");
    }

    private Map<Labels, SeriesBuilder> evalSubquery(SubqueryExpr sq, long refT) throws PromQLException {
        long step = sq.stepMs() > 0 ? sq.stepMs() : defaultSubqueryStepMs;
        long start = refT - sq.rangeMs();
        long first = Math.floorDiv(start, step) * step;
        if (first < start) {
            first += step;
        }
        Map<Labels, SeriesBuilder> out = new java.util.LinkedHashMap<>();
        for (long ts = first; ts <= refT; ts += step) {
            tick();
            Vec v = evalVector(sq.expr(), ts);
            for (int i = 0; i < v.size(); i++) {
                out.computeIfAbsent(resultLabels(v, i), SeriesBuilder::new).add(ts, v.value(i));
            }
            countSamples(v.size());
        }
        return out;
    }

    /** Evaluates a function whose argument at {@code matrixArg} is a range vector, series by series. */
    private Vec rangeFunction(Call c, long t) throws PromQLException {
        String name = c.function().name();
        int matrixArg = name.equals("quantile_over_time") ? 1 : 0;
        Expr arg = Exprs.unwrapParens(c.args().get(matrixArg));
        RangeParams p = new RangeParams(RangeFunction.of(name));
        if (name.equals("quantile_over_time")) {
            p.a = evalScalar(c.args().get(0), t);
        } else if (name.equals("holt_winters")) {
            p.a = evalScalar(c.args().get(1), t);
            p.b = evalScalar(c.args().get(2), t);
        } else if (name.equals("predict_linear")) {
            p.a = evalScalar(c.args().get(1), t);
        }
        Vec out;
        if (arg instanceof MatrixSelector) {
            MatrixSelector ms = (MatrixSelector) arg;
            VectorSelector vs = ms.selector();
            Selection sel = selection(vs);
            p.rangeEnd = referenceTime(vs.at(), vs.offsetMs(), t);
            p.rangeMs = ms.rangeMs();
            p.rangeStart = p.rangeEnd - p.rangeMs;
            p.evalTime = vs.at() == null ? t : vs.at().resolve(startMs, endMs);
            out = new Vec(sel.refs.length);
            for (int i = 0; i < sel.refs.length; i++) {
                tick();
                int n = readRange(sel.refs[i], p.rangeStart, p.rangeEnd);
                checkHoltWintersFactors(p, n);
                if (n >= p.function.minSamples && compute(p, n)) {
                    out.add(sel.labels[i], p.result);
                }
                p.anySamples |= n > 0;
            }
        } else if (arg instanceof SubqueryExpr) {
            SubqueryExpr sq = (SubqueryExpr) arg;
            p.rangeEnd = referenceTime(sq.at(), sq.offsetMs(), t);
            p.rangeMs = sq.rangeMs();
            p.rangeStart = p.rangeEnd - p.rangeMs;
            p.evalTime = sq.at() == null ? t : sq.at().resolve(startMs, endMs);
            Map<Labels, SeriesBuilder> series = evalSubquery(sq, p.rangeEnd);
            out = new Vec(series.size());
            for (SeriesBuilder s : series.values()) {
                buf.clear();
                for (int k = 0; k < s.size; k++) {
                    buf.add(s.ts[k], s.values[k]);
                }
                checkHoltWintersFactors(p, s.size);
                if (s.size >= p.function.minSamples && compute(p, s.size)) {
                    out.add(s.labels, p.result);
                }
                p.anySamples |= s.size > 0;
            }
        } else {
            throw PromQLException.execution("function " + name + " over " + arg + " is not supported");
        }
        if (name.equals("absent_over_time")) {
            Vec absent = Vec.empty();
            if (!p.anySamples) {
                absent.add(InstantFunctions.absentLabels(arg instanceof MatrixSelector ? ((MatrixSelector) arg).selector() : null), 1);
            }
            return absent;
        }
        // last_over_time returns a stored sample unchanged, so it keeps the metric name (Prometheus 2.42).
        out.dropName = !name.equals("last_over_time");
        return out;
    }

    /**
     * Prometheus validates holt_winters' factors inside the per-series call, which only happens for a
     * series with samples in the window: with no such series the answer is empty, not an error.
     */
    private static void checkHoltWintersFactors(RangeParams p, int n) throws PromQLException {
        if (p.function != RangeFunction.HOLT_WINTERS || n == 0) {
            return;
        }
        if (p.a <= 0 || p.a >= 1) {
            throw PromQLException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFloat(p.a));
        }
        if (p.b <= 0 || p.b >= 1) {
            throw PromQLException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + goFloat(p.b));
        }
    }

    /** Go's %f. */
    private static String goFloat(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : String.format(java.util.Locale.ROOT, "%f", v);
    }

    /** Parameters and output of one range function evaluation. */
    private static final class RangeParams {
        final RangeFunction function;
        double a;
        double b;
        long rangeStart;
        long rangeEnd;
        long rangeMs;
        long evalTime;
        boolean anySamples;
        double result;

        RangeParams(RangeFunction function) {
            this.function = function;
        }
    }

    /** Applies the range function to {@link #buf}'s n (≥ minSamples) samples; false when it yields no element. */
    private boolean compute(RangeParams p, int n) {
        long[] ts = buf.timestampArray();
        double[] v = buf.valueArray();
        switch (p.function) {
            case RATE:
            case INCREASE:
            case DELTA:
                p.result = RangeMath.extrapolatedRate(ts, v, n, p.rangeStart, p.rangeEnd, p.rangeMs,
                        p.function != RangeFunction.DELTA, p.function == RangeFunction.RATE);
                return true;
            case IRATE:
            case IDELTA:
                if (!RangeMath.instantValue(ts, v, n, p.function == RangeFunction.IRATE, pair)) {
                    return false;
                }
                p.result = pair[0];
                return true;
            case DERIV:
                RangeMath.linearRegression(ts, v, n, ts[0], pair);
                p.result = pair[0];
                return true;
            case PREDICT_LINEAR:
                RangeMath.linearRegression(ts, v, n, p.evalTime, pair);
                p.result = pair[0] * p.a + pair[1];
                return true;
            case HOLT_WINTERS: p.result = RangeMath.holtWinters(v, n, p.a, p.b); return true;
            case RESETS: p.result = RangeMath.resets(v, n); return true;
            case CHANGES: p.result = RangeMath.changes(v, n); return true;
            case AVG_OVER_TIME: p.result = RangeMath.avg(v, n); return true;
            case MIN_OVER_TIME: p.result = RangeMath.min(v, n); return true;
            case MAX_OVER_TIME: p.result = RangeMath.max(v, n); return true;
            case SUM_OVER_TIME: p.result = RangeMath.sum(v, n); return true;
            case COUNT_OVER_TIME: p.result = n; return true;
            case LAST_OVER_TIME: p.result = v[n - 1]; return true;
            case PRESENT_OVER_TIME: p.result = 1; return true;
            case STDDEV_OVER_TIME: p.result = Math.sqrt(RangeMath.stdvar(v, n)); return true;
            case STDVAR_OVER_TIME: p.result = RangeMath.stdvar(v, n); return true;
            case QUANTILE_OVER_TIME:
                if (scratch.length < n) {
                    scratch = new double[Math.max(n, scratch.length * 2)];
                }
                System.arraycopy(v, 0, scratch, 0, n);
                p.result = RangeMath.quantile(p.a, scratch, n);
                return true;
            case KEDIFY_RATE: p.result = RangeMath.kedifyRate(ts, v, n); return true;
            case ABSENT_OVER_TIME: return false;
            default: throw new IllegalStateException("not a range function: " + p.function);
        }
    }

    // ---- functions ---------------------------------------------------------------------------------------

    private Vec call(Call c, long t) throws PromQLException {
        if (!c.args().isEmpty() && c.function().argTypes().contains(ValueType.MATRIX)) {
            return rangeFunction(c, t);
        }
        return InstantFunctions.call(this, c, t);
    }

    // ---- limits ------------------------------------------------------------------------------------------

    private void tick() throws PromQLException {
        if (++checkCounter % CHECK_EVERY == 0) {
            checkLimits();
        }
    }

    private void checkLimits() throws PromQLException {
        if (ticker.monotonicNanos() - deadlineNanos > 0) {
            throw new PromQLException(PromQLException.Kind.TIMEOUT, "query timed out in query execution");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new PromQLException(PromQLException.Kind.CANCELED, "query was canceled in query execution");
        }
    }

    private void countSamples(long n) throws PromQLException {
        samplesInStep += n;
        if (samplesInStep + outputSamples > maxSamples) {
            throw PromQLException.execution("query processing would load too many samples into memory in query execution");
        }
    }
}
