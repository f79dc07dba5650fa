package dev.kedaotel.scaler;

import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.QuerySpan;
import dev.kedaotel.query.ast.SelectorScope;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.kedify.KedifyQueryException;
import io.grpc.Status;
import io.grpc.StatusException;

/**
 * Turns parsed metadata into a {@link ScalerQuery}. A metricQuery is either kedify syntax or PromQL,
 * never one silently reinterpreted as the other:
 * <ul>
 *   <li>kedify syntax ({@code op(name{k=v,...})}, compiled with operationOverTime over a window of the
 *       store retention) is tried first; its names never contain a PromQL operator or bracket, so
 *       {@code rel_m[1m]} is not the metric {@code rel_m_1m_};</li>
 *   <li>otherwise the text is PromQL (e.g. {@code sum(rate(x[1m]))}), and operationOverTime must be
 *       absent or last_one since PromQL states its own time aggregation. It must yield one number: a
 *       range vector ({@code rel_m[1m]}) or a string is INVALID_ARGUMENT naming metricQuery.</li>
 * </ul>
 * Anything thrown while compiling (a parser bug, or a stack overflow on an absurdly nested expression)
 * becomes a status too, see {@link Failures#unexpected}.
 *
 * <p><b>Tenancy.</b> With a namespace label configured ({@code SCALED_OBJECT_NAMESPACE_LABEL}, e.g.
 * {@code k8s_namespace_name}), the compiled expression — either syntax — is rewritten by
 * {@link SelectorScope} so that every selector also requires {@code <label>="<the ScaledObject's
 * namespace>"}. The rewrite is on the syntax tree, not the query text, because selectors nested in
 * subqueries, function arguments or either side of {@code or}/{@code unless} would escape a text edit;
 * matchers the user wrote on that label (a regex, a negation, another namespace) stay and are ANDed
 * with it, so they can only narrow. The ScalerQuery's {@code promql} is the scoped canonical text, so
 * the standing query (shared by text) is per namespace, and {@code /memstore/scaledobjects} shows what is
 * really evaluated. A ScaledObjectRef without a namespace is INVALID_ARGUMENT while tenancy is on.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScalerQueryCompiler {
    private final QueryEngine engine;
    private final long windowMs;
    private final String namespaceLabel;
    private final OtlpTranslationStrategy strategy;

    /**
     * A compiler without tenancy.
     *
     * @param windowMs the kedify time window (kedify aggregates over the store retention)
     */
    public ScalerQueryCompiler(QueryEngine engine, long windowMs) {
        this(engine, windowMs, "");
    }

    /**
     * @param windowMs the kedify time window (kedify aggregates over the store retention)
     * @param namespaceLabel the tenancy label every selector is scoped by, or "" for none
     * @throws IllegalArgumentException if {@code namespaceLabel} is not a usable label name
     */
    public ScalerQueryCompiler(QueryEngine engine, long windowMs, String namespaceLabel) {
        this(engine, windowMs, namespaceLabel, OtlpTranslationStrategy.KEDIFY_COMPATIBLE);
    }

    /** @param strategy how the receiver names OTLP metrics: kedify names are looked up as it stores them */
    public ScalerQueryCompiler(QueryEngine engine, long windowMs, String namespaceLabel, OtlpTranslationStrategy strategy) {
        this.engine = engine;
        this.strategy = strategy;
        this.windowMs = windowMs;
        if (!namespaceLabel.isEmpty()) {
            SelectorScope.checkLabelName(namespaceLabel);
        }
        this.namespaceLabel = namespaceLabel;
    }

    /**
     * Compiles without a namespace: only when tenancy is off (else INVALID_ARGUMENT, see
     * {@link #compile(ScalerMetadata, String)}).
     */
    public ScalerQuery compile(ScalerMetadata metadata) throws StatusException {
        return compile(metadata, "");
    }

    /**
     * @param namespace the ScaledObject's namespace ({@code ScaledObjectRef.namespace}); the query is
     *     scoped to it when tenancy is on, and it is ignored otherwise
     * @throws StatusException {@code INVALID_ARGUMENT} naming metricQuery and why it is neither syntax
     *     or does not yield one number, or naming the empty namespace while tenancy is on;
     *     {@code INTERNAL} if compiling failed unexpectedly
     */
    public ScalerQuery compile(ScalerMetadata metadata, String namespace) throws StatusException {
        SelectorScope scope = scope(namespace);
        try {
            KedifyQuery kedify;
            try {
                kedify = KedifyQuery.compile(metadata.metricQuery(), metadata.operationOverTime(), windowMs, strategy);
            } catch (KedifyQueryException kedifyError) {
                return compileAsPromQL(metadata, kedifyError, scope);
            }
            Expr expr = scope == null ? kedify.expr() : scope.apply(kedify.expr());
            return new ScalerQuery(metadata, expr.toString(), expr, true, spanOf(expr));
        } catch (RuntimeException | StackOverflowError e) {
            throw Failures.unexpected("compiling", metadata.metricQuery(), e).asException();
        }
    }

    /** The tenancy scope for {@code namespace}, or null when tenancy is off. */
    private SelectorScope scope(String namespace) throws StatusException {
        if (namespaceLabel.isEmpty()) {
            return null;
        }
        if (namespace == null || namespace.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("ScaledObjectRef.namespace is empty, but tenancy is on"
                    + " (SCALED_OBJECT_NAMESPACE_LABEL=" + namespaceLabel + "): a ScaledObject's query sees only series whose "
                    + namespaceLabel + " label equals its namespace, so KEDA must send the namespace").asException();
        }
        return SelectorScope.of(namespaceLabel, namespace);
    }

    private ScalerQuery compileAsPromQL(ScalerMetadata metadata, KedifyQueryException kedifyError, SelectorScope scope)
            throws StatusException {
        String query = metadata.metricQuery();
        Expr expr;
        try {
            expr = engine.parse(query);
        } catch (PromQLException promqlError) {
            throw Failures.invalidQuery(query, kedifyError.getMessage() + " (and as PromQL: " + promqlError.getMessage() + ")")
                    .asException();
        }
        if (expr.type() == ValueType.MATRIX || expr.type() == ValueType.STRING) {
            throw Failures.invalidQuery(query, "it is PromQL yielding a " + expr.type().documentedName() + "; a scaling"
                    + " query must yield one number (a scalar or an instant vector), e.g. sum(rate(x[1m])) rather than x[1m]")
                    .asException();
        }
        if (metadata.operationGiven() && !metadata.operationFellBack()
                && metadata.operationOverTime() != OperationOverTime.LAST_ONE) {
            throw Status.INVALID_ARGUMENT.withDescription("metadata key '" + ScalerMetadata.OPERATION_OVER_TIME
                    + "' is \"" + metadata.operationOverTime().wireName() + "\" but metricQuery \"" + Failures.query(query)
                    + "\" is PromQL, which states its own time aggregation; drop operationOverTime or use"
                    + " kedify syntax").asException();
        }
        if (scope != null) {
            expr = scope.apply(expr);
        }
        // Keyed by the canonical form so spellings of one query share a standing query.
        return new ScalerQuery(metadata, expr.toString(), expr, false, spanOf(expr));
    }

    /**
     * How far back {@code expr} reads, at most the window: the store holds nothing older, so after one
     * window every query reads only samples received since the start.
     */
    private long spanOf(Expr expr) {
        return Math.min(QuerySpan.of(expr, engine.config().lookbackDeltaMs()), windowMs);
    }
}
