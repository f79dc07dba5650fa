/**
 * PromQL parser and evaluator, kedify query compiler, standing queries. Exported: the engine facade
 * ({@code query}), the AST the compilers build ({@code query.ast}), the kedify compiler
 * ({@code query.kedify}) and standing queries ({@code query.standing}). The evaluator
 * ({@code query.eval}) and the parser ({@code query.parser}) are internal.
 */
module dev.kedaotel.query {
    requires transitive dev.kedaotel.tsdb;

    exports dev.kedaotel.query;
    exports dev.kedaotel.query.ast;
    exports dev.kedaotel.query.kedify;
    exports dev.kedaotel.query.standing;
}
