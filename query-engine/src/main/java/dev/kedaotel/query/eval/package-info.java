/** Evaluation of PromQL ASTs over the store; internal apart from {@link dev.kedaotel.query.eval.Evaluation}. */
package dev.kedaotel.query.eval;
