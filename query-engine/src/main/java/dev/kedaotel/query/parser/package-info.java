/** Hand-written PromQL lexer and parser with Prometheus-style positioned errors. */
package dev.kedaotel.query.parser;
