package dev.kedaotel.query.parser;

import dev.kedaotel.model.GoStrings;

import dev.kedaotel.model.Durations;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.AtModifier;
import dev.kedaotel.query.ast.BinaryExpr;
import dev.kedaotel.query.ast.BinaryOp;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Function;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.NumberLiteral;
import dev.kedaotel.query.ast.ParenExpr;
import dev.kedaotel.query.ast.StringLiteral;
import dev.kedaotel.query.ast.SubqueryExpr;
import dev.kedaotel.query.ast.UnaryExpr;
import dev.kedaotel.query.ast.VectorMatching;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.GoRegexp;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.PrometheusNames;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent PromQL parser with precedence climbing for binary operators, producing a type-checked
 * AST. Grammar and error wording follow Prometheus 2.42 (plus 3.x's quoted UTF-8 metric names inside
 * braces). Precedence, loosest first: {@code or}; {@code and unless}; comparisons; {@code + -};
 * {@code * / % atan2}; {@code ^} (right-associative). Unary minus binds like {@code *}, so {@code -a^b}
 * is {@code -(a^b)}; {@code offset}, {@code @} and brackets bind tightest. Not thread-safe; one instance
 * per parse, via {@link #parse(String)}.
 */
public final class Parser {

    private final Lexer lexer;
    private final String input;
    private final List<Token> lookahead = new ArrayList<>(3);
    /** Current recursion depth of {@link #parseExpr} (parentheses, unary operators, arguments, right operands). */
    private int depth;

    /**
     * How deep an expression may nest: its syntax tree's height, and the parser's own recursion. Every
     * pass over a tree (type checks, printing, {@code format_query}'s prettier, evaluation, the standing
     * queries' name extraction) recurses once per level, so a bounded height is what keeps them all
     * within a thread's stack: a chain {@code 1+1+…+1} is as deep as it is long, as are
     * {@code -(-(…))}, {@code ((…))}, {@code abs(abs(…))} and {@code a or b or …}. Deeper expressions
     * are a BAD_DATA parse error ({@code expression nests deeper than 200 levels}); Prometheus has no
     * such limit. {@code RobustnessTest} proves that expressions of this depth parse, print, pretty-print
     * and evaluate on a 512 KiB thread stack, half the JVM's default on 64-bit Linux, before the JIT has
     * compiled anything: measured there, interpreted frames allow roughly 250–320 nested function calls
     * ({@code label_replace(label_replace(…))}) and about 440 parentheses, so 200 leaves room for the
     * caller's frames (an HTTP or gRPC handler's).
     */
    public static final int MAX_DEPTH = 200;

    private Parser(String input) {
        this.input = input;
        this.lexer = new Lexer(input);
    }

    /** Parses and type-checks one expression. */
    public static Expr parse(String input) throws PromQLException {
        return new Parser(input).parseTop();
    }

    private Expr parseTop() throws PromQLException {
        if (peek().type == TokenType.EOF) {
            throw ParseErrors.at(input, 0, "no expression found in input");
        }
        Expr e = parseExpr(0);
        Token t = peek();
        if (t.type != TokenType.EOF) {
            throw unexpected(t, null, null);
        }
        checkHeight(e);
        return e;
    }

    /**
     * Rejects a tree higher than {@link #MAX_DEPTH}, at the first node found below that depth. Iterative:
     * binary operator chains are built by a loop, not by recursion, so the parser's own depth check
     * does not bound them.
     */
    private void checkHeight(Expr root) throws PromQLException {
        ArrayDeque<Expr> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Expr e = nodes.pop();
            int d = depths.pop();
            if (d > MAX_DEPTH) {
                throw tooDeep(e.position());
            }
            List<Expr> children = e.children();
            for (int i = children.size() - 1; i >= 0; i--) { // leftmost first: the error points at the start
                nodes.push(children.get(i));
                depths.push(d + 1);
            }
        }
    }

    private PromQLException tooDeep(int pos) {
        return ParseErrors.at(input, pos, "expression nests deeper than " + MAX_DEPTH + " levels");
    }

    // ---- binary / unary ----------------------------------------------------------------------------

    /** Every recursion of the parser passes here (operands, parentheses, arguments), so it counts {@link #depth}. */
    private Expr parseExpr(int minPrecedence) throws PromQLException {
        if (++depth > MAX_DEPTH) {
            throw tooDeep(peek().pos);
        }
        try {
            Expr lhs = parseUnaryAt(peek());
            while (true) {
                Token t = peek();
                BinaryOp op = binaryOp(t);
                if (op == null || op.precedence() < minPrecedence) {
                    return lhs;
                }
                next();
                boolean returnBool = false;
                if (peek().type == TokenType.BOOL) {
                    next();
                    returnBool = true;
                }
                VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
                List<String> matchingLabels = List.of();
                List<String> include = List.of();
                boolean on = false;
                boolean explicitMatching = false;
                if (peek().type == TokenType.ON || peek().type == TokenType.IGNORING) {
                    on = next().type == TokenType.ON;
                    matchingLabels = parseLabelList("grouping opts");
                    explicitMatching = true;
                    if (peek().type == TokenType.GROUP_LEFT || peek().type == TokenType.GROUP_RIGHT) {
                        card = next().type == TokenType.GROUP_LEFT
                                ? VectorMatching.Cardinality.MANY_TO_ONE : VectorMatching.Cardinality.ONE_TO_MANY;
                        include = peek().type == TokenType.LEFT_PAREN ? parseLabelList("grouping opts") : List.of();
                    }
                }
                Expr rhs = parseExpr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
                lhs = binary(t, op, lhs, rhs, new VectorMatching(card, matchingLabels, on, include), explicitMatching,
                        returnBool);
            }
        } finally {
            depth--;
        }
    }

    private Expr binary(Token opToken, BinaryOp op, Expr lhs, Expr rhs, VectorMatching vm, boolean explicitMatching,
                        boolean returnBool) throws PromQLException {
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (returnBool && !op.isComparison()) {
            throw ParseErrors.at(input, opToken.pos, "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw ParseErrors.at(input, opToken.pos, "comparisons between scalars must use BOOL modifier");
        }
        if (op.isSetOperator() && vm.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            vm = vm.withCardinality(VectorMatching.Cardinality.MANY_TO_MANY);
        }
        if (vm.on()) {
            for (String l : vm.matchingLabels()) {
                if (vm.include().contains(l)) {
                    throw ParseErrors.at(input, opToken.pos,
                            "label " + GoStrings.quote(l) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw ParseErrors.at(input, lhs.position(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw ParseErrors.at(input, rhs.position(), "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (explicitMatching && !vm.matchingLabels().isEmpty()) {
                throw ParseErrors.at(input, lhs.position(), "vector matching only allowed between instant vectors");
            }
            vm = null;
        } else if (op.isSetOperator()) {
            if (vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                    || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY) {
                throw ParseErrors.at(input, lhs.position(), "no grouping allowed for " + GoStrings.quote(op.symbol()) + " operation");
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
            throw ParseErrors.at(input, lhs.position(),
                    "set operator " + GoStrings.quote(op.symbol()) + " not allowed in binary scalar expression");
        }
        return new BinaryExpr(lhs.position(), op, lhs, rhs, vm, returnBool);
    }

    private Expr parseUnaryAt(Token t) throws PromQLException {
        if (t.type == TokenType.ADD || t.type == TokenType.SUB) {
            next();
            Expr operand = parseExpr(BinaryOp.POW.precedence());
            boolean negate = t.type == TokenType.SUB;
            if (operand instanceof NumberLiteral n) {
                double v = n.value();
                return new NumberLiteral(t.pos, negate ? -v : v);
            }
            ValueType vt = operand.type();
            if (vt != ValueType.SCALAR && vt != ValueType.VECTOR) {
                throw ParseErrors.at(input, t.pos, "unary expression only allowed on expressions of type scalar or instant vector, got "
                        + GoStrings.quote(vt.documentedName()));
            }
            return new UnaryExpr(t.pos, negate, operand);
        }
        return parsePostfix(parsePrimary());
    }

    // ---- primary expressions -----------------------------------------------------------------------

    private Expr parsePrimary() throws PromQLException {
        Token t = peek();
        switch (t.type) {
            case NUMBER:
                next();
                return new NumberLiteral(t.pos, parseNumber(t));
            case STRING:
                next();
                return new StringLiteral(t.pos, t.value);
            case LEFT_PAREN: {
                next();
                Expr inner = parseExpr(0);
                Token close = peek();
                if (close.type != TokenType.RIGHT_PAREN) {
                    throw unexpected(close, "paren expression", "\")\"");
                }
                next();
                return new ParenExpr(t.pos, inner);
            }
            case LEFT_BRACE:
                return parseSelector(null, t.pos);
            case IDENTIFIER:
                if (peek(1).type == TokenType.LEFT_PAREN) {
                    return parseCall();
                }
                next();
                return parseSelector(t.text, t.pos);
            case METRIC_IDENTIFIER:
                next();
                return parseSelector(t.text, t.pos);
            case AGGREGATOR:
                return parseAggregate();
            default:
                throw unexpected(t, null, null);
        }
    }

    private double parseNumber(Token t) throws PromQLException {
        String s = t.text;
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        try {
            if (lower.startsWith("0x")) {
                return new BigInteger(s.substring(2), 16).doubleValue();
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw ParseErrors.at(input, t.pos, "bad number or duration syntax: " + GoStrings.quote(s));
        }
    }

    private Expr parseSelector(String name, int pos) throws PromQLException {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek().type == TokenType.LEFT_BRACE) {
            next();
            while (true) {
                Token t = peek();
                if (t.type == TokenType.RIGHT_BRACE) {
                    next();
                    break;
                }
                if (t.type == TokenType.STRING && !isMatchOp(peek(1).type)) {
                    next();
                    if (name != null) {
                        throw ParseErrors.at(input, t.pos, "metric name must not be set twice: " + GoStrings.quote(name)
                                + " or " + GoStrings.quote(t.value));
                    }
                    name = t.value;
                } else if (t.type == TokenType.STRING || isLabelToken(t)) {
                    next();
                    String labelName = t.type == TokenType.STRING ? t.value : t.text;
                    Token op = peek();
                    if (!isMatchOp(op.type)) {
                        throw unexpected(op, "label matching", "label matching operator");
                    }
                    next();
                    Token value = peek();
                    if (value.type != TokenType.STRING) {
                        throw unexpected(value, "label matching", "string");
                    }
                    next();
                    matchers.add(matcher(t, op, labelName, value.value));
                } else {
                    throw unexpected(t, "label matching", "identifier or \"}\"");
                }
                Token sep = peek();
                if (sep.type == TokenType.COMMA) {
                    next();
                } else if (sep.type != TokenType.RIGHT_BRACE) {
                    throw unexpected(sep, "label matching", "\",\" or \"}\"");
                }
            }
        }
        if (name != null) {
            matchers.add(0, LabelMatcher.eq(Labels.METRIC_NAME, name));
        }
        boolean nonEmpty = false;
        for (LabelMatcher m : matchers) {
            if (!m.matchesEmpty()) {
                nonEmpty = true;
                break;
            }
        }
        if (!nonEmpty) {
            throw ParseErrors.at(input, pos, "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(pos, name, matchers, 0, null);
    }

    private LabelMatcher matcher(Token nameTok, Token op, String name, String value) throws PromQLException {
        LabelMatcher.Type type;
        switch (op.type) {
            case EQL: type = LabelMatcher.Type.EQ; break;
            case NEQ: type = LabelMatcher.Type.NEQ; break;
            case EQL_REGEX: type = LabelMatcher.Type.RE; break;
            default: type = LabelMatcher.Type.NRE; break;
        }
        try {
            return LabelMatcher.of(type, name, value);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof GoRegexp.SyntaxException re) {
                // Prometheus reports a bad regex at the matcher's label name, in Go's words.
                throw ParseErrors.at(input, nameTok.pos, re.getMessage());
            }
            throw ParseErrors.at(input, op.pos, e.getMessage());
        }
    }

    private Expr parseCall() throws PromQLException {
        Token nameTok = next();
        Function f = Function.lookup(nameTok.text);
        if (f == null) {
            throw ParseErrors.at(input, nameTok.pos, "unknown function with name " + GoStrings.quote(nameTok.text));
        }
        List<Expr> args = parseArgs("function call");
        int nargs = f.argTypes().size();
        if (f.variadic() == 0) {
            if (nargs != args.size()) {
                throw ParseErrors.at(input, nameTok.pos, "expected " + nargs + " argument(s) in call to "
                        + GoStrings.quote(f.name()) + ", got " + args.size());
            }
        } else {
            int min = nargs - 1;
            if (min > args.size()) {
                throw ParseErrors.at(input, nameTok.pos, "expected at least " + min + " argument(s) in call to "
                        + GoStrings.quote(f.name()) + ", got " + args.size());
            }
            int max = min + f.variadic();
            if (f.variadic() > 0 && max < args.size()) {
                throw ParseErrors.at(input, nameTok.pos, "expected at most " + max + " argument(s) in call to "
                        + GoStrings.quote(f.name()) + ", got " + args.size());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType want = f.argTypes().get(Math.min(i, nargs - 1));
            expectType(args.get(i), want, "call to function " + GoStrings.quote(f.name()));
        }
        return new Call(nameTok.pos, f, args);
    }

    private List<Expr> parseArgs(String context) throws PromQLException {
        Token open = peek();
        if (open.type != TokenType.LEFT_PAREN) {
            // Prometheus' grammar names no expectation for a second grouping clause.
            boolean grouping = open.type == TokenType.BY || open.type == TokenType.WITHOUT;
            throw unexpected(open, context, grouping && context.equals("aggregation") ? null : "\"(\"");
        }
        next();
        List<Expr> args = new ArrayList<>();
        if (peek().type == TokenType.RIGHT_PAREN) {
            next();
            return args;
        }
        while (true) {
            args.add(parseExpr(0));
            Token t = peek();
            if (t.type == TokenType.COMMA) {
                next();
            } else if (t.type == TokenType.RIGHT_PAREN) {
                next();
                return args;
            } else {
                throw unexpected(t, context, "\",\" or \")\"");
            }
        }
    }

    private Expr parseAggregate() throws PromQLException {
        Token opTok = next();
        AggregateOp op = AggregateOp.byKeyword(opTok.text);
        List<String> grouping = List.of();
        boolean without = false;
        boolean grouped = false;
        if (peek().type == TokenType.BY || peek().type == TokenType.WITHOUT) {
            without = next().type == TokenType.WITHOUT;
            grouping = parseLabelList("grouping opts");
            grouped = true;
        }
        List<Expr> args = parseArgs("aggregation");
        if (!grouped && (peek().type == TokenType.BY || peek().type == TokenType.WITHOUT)) {
            without = next().type == TokenType.WITHOUT;
            grouping = parseLabelList("grouping opts");
        }
        int expected = op.paramType() == null ? 1 : 2;
        if (args.size() != expected) {
            throw ParseErrors.at(input, opTok.pos, "wrong number of arguments for aggregate expression provided, expected "
                    + expected + ", got " + args.size());
        }
        Expr param = expected == 2 ? args.get(0) : null;
        Expr expr = args.get(expected - 1);
        expectType(expr, ValueType.VECTOR, "aggregation expression");
        if (param != null) {
            expectType(param, op.paramType(), "aggregation parameter");
        }
        return new AggregateExpr(opTok.pos, op, expr, param, grouping, without);
    }

    private List<String> parseLabelList(String context) throws PromQLException {
        Token open = peek();
        if (open.type != TokenType.LEFT_PAREN) {
            // Prometheus' grammar names no expectation for a second grouping clause.
            boolean grouping = open.type == TokenType.BY || open.type == TokenType.WITHOUT;
            throw unexpected(open, context, grouping && context.equals("aggregation") ? null : "\"(\"");
        }
        next();
        List<String> labels = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type == TokenType.RIGHT_PAREN) {
                next();
                return labels;
            }
            if (isLabelToken(t)) {
                labels.add(t.text);
            } else if (t.type == TokenType.STRING) {
                labels.add(t.value);
            } else {
                throw unexpected(t, context, "label");
            }
            next();
            Token sep = peek();
            if (sep.type == TokenType.COMMA) {
                next();
            } else if (sep.type != TokenType.RIGHT_PAREN) {
                throw unexpected(sep, context, "\",\" or \")\"");
            }
        }
    }

    // ---- postfix: ranges, subqueries, offset, @ -------------------------------------------------------

    private Expr parsePostfix(Expr e) throws PromQLException {
        while (true) {
            Token t = peek();
            if (t.type == TokenType.LEFT_BRACKET) {
                e = parseBrackets(e, next());
            } else if (t.type == TokenType.OFFSET) {
                next();
                boolean negative = false;
                if (peek().type == TokenType.SUB) {
                    next();
                    negative = true;
                }
                long ms = durationToken("offset", false);
                e = withOffset(e, negative ? -ms : ms, t);
            } else if (t.type == TokenType.AT) {
                next();
                e = withAt(e, parseAt(), t);
            } else {
                return e;
            }
        }
    }

    private Expr parseBrackets(Expr e, Token open) throws PromQLException {
        long range = durationToken("subquery or range selector", true);
        Token t = peek();
        if (t.type == TokenType.RIGHT_BRACKET) {
            next();
            if (!(e instanceof VectorSelector)) {
                throw ParseErrors.at(input, open.pos, "ranges only allowed for vector selectors");
            }
            VectorSelector vs = (VectorSelector) e;
            if (vs.offsetMs() != 0) {
                throw ParseErrors.at(input, open.pos, "no offset modifiers allowed before range");
            }
            if (vs.at() != null) {
                throw ParseErrors.at(input, open.pos, "no @ modifiers allowed before range");
            }
            return new MatrixSelector(e.position(), vs, range);
        }
        if (t.type != TokenType.COLON) {
            throw unexpected(t, "subquery or range selector", "\":\" or \"]\"");
        }
        next();
        long step = 0;
        if (peek().type != TokenType.RIGHT_BRACKET) {
            step = durationToken("subquery selector", true);
        }
        Token close = peek();
        if (close.type == TokenType.COLON) {
            // Prometheus' lexer rejects a second colon inside brackets before the grammar sees it.
            throw ParseErrors.at(input, close.pos, "unexpected colon ':'");
        }
        if (close.type != TokenType.RIGHT_BRACKET) {
            throw unexpected(close, "subquery selector", "\"]\"");
        }
        next();
        if (e.type() != ValueType.VECTOR) {
            throw ParseErrors.at(input, e.position(), "subquery is only allowed on instant vector, got "
                    + (e.type() == ValueType.MATRIX ? "matrix" : e.type().documentedName()) + " instead");
        }
        return new SubqueryExpr(e.position(), e, range, step, 0, null);
    }

    private long durationToken(String context, boolean positive) throws PromQLException {
        Token t = peek();
        if (t.type != TokenType.DURATION && !(t.type == TokenType.NUMBER && t.text.equals("0"))) {
            throw unexpected(t, context, "duration");
        }
        next();
        long ms;
        try {
            ms = Durations.parse(t.text);
        } catch (IllegalArgumentException ex) {
            throw ParseErrors.at(input, t.pos, ex.getMessage());
        }
        if (positive && ms == 0) {
            throw ParseErrors.at(input, t.pos, "duration must be greater than 0");
        }
        return ms;
    }

    private AtModifier parseAt() throws PromQLException {
        Token t = peek();
        if (t.type == TokenType.IDENTIFIER && (t.text.equals("start") || t.text.equals("end"))
                && peek(1).type == TokenType.LEFT_PAREN) {
            next();
            next();
            Token close = peek();
            if (close.type != TokenType.RIGHT_PAREN) {
                throw unexpected(close, "@", "\")\"");
            }
            next();
            return t.text.equals("start") ? AtModifier.START : AtModifier.END;
        }
        boolean negative = false;
        if (t.type == TokenType.ADD || t.type == TokenType.SUB) {
            negative = t.type == TokenType.SUB;
            next();
            t = peek();
        }
        if (t.type != TokenType.NUMBER) {
            throw unexpected(t, "@", "timestamp");
        }
        next();
        double seconds = parseNumber(t) * (negative ? -1 : 1);
        double ms = Math.rint(seconds * 1000);
        if (Double.isNaN(ms) || Double.isInfinite(ms) || ms >= Long.MAX_VALUE || ms <= Long.MIN_VALUE) {
            throw ParseErrors.at(input, t.pos, "timestamp out of bounds for @ modifier: " + String.format(Locale.ROOT, "%f", seconds));
        }
        return AtModifier.at((long) ms);
    }

    /** Prometheus reports misplaced or repeated modifiers at the modified expression, not the keyword. */
    private Expr withOffset(Expr e, long ms, Token at) throws PromQLException {
        if (e instanceof VectorSelector vs) {
            checkOffsetUnset(vs.offsetMs(), e.position());
            return vs.withOffset(ms);
        }
        if (e instanceof MatrixSelector m) {
            checkOffsetUnset(m.selector().offsetMs(), e.position());
            return m.withSelector(m.selector().withOffset(ms));
        }
        if (e instanceof SubqueryExpr s) {
            checkOffsetUnset(s.offsetMs(), e.position());
            return s.withOffset(ms);
        }
        throw ParseErrors.at(input, e.position(),
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private void checkOffsetUnset(long current, int pos) throws PromQLException {
        if (current != 0) {
            throw ParseErrors.at(input, pos, "offset may not be set multiple times");
        }
    }

    private Expr withAt(Expr e, AtModifier a, Token at) throws PromQLException {
        if (e instanceof VectorSelector vs) {
            checkAtUnset(vs.at(), e.position());
            return vs.withAt(a);
        }
        if (e instanceof MatrixSelector m) {
            checkAtUnset(m.selector().at(), e.position());
            return m.withSelector(m.selector().withAt(a));
        }
        if (e instanceof SubqueryExpr s) {
            checkAtUnset(s.at(), e.position());
            return s.withAt(a);
        }
        throw ParseErrors.at(input, e.position(),
                "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private void checkAtUnset(AtModifier current, int pos) throws PromQLException {
        if (current != null) {
            throw ParseErrors.at(input, pos, "@ <timestamp> may not be set multiple times");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void expectType(Expr e, ValueType want, String context) throws PromQLException {
        if (e.type() != want) {
            throw ParseErrors.at(input, e.position(), "expected type " + want.documentedName() + " in " + context
                    + ", got " + e.type().documentedName());
        }
    }

    private static boolean isMatchOp(TokenType t) {
        return t == TokenType.EQL || t == TokenType.NEQ || t == TokenType.EQL_REGEX || t == TokenType.NEQ_REGEX;
    }

    /** Label names may be spelled like keywords ({@code on}, {@code sum}, ...), as in Prometheus. */
    private static boolean isLabelToken(Token t) {
        if (t.type == TokenType.IDENTIFIER) {
            return true;
        }
        return (t.type.isKeyword() || t.type == TokenType.AGGREGATOR || t.type == TokenType.LAND
                || t.type == TokenType.LOR || t.type == TokenType.LUNLESS || t.type == TokenType.ATAN2
                || t.type == TokenType.NUMBER) && PrometheusNames.isValidLabelName(t.text);
    }

    private static BinaryOp binaryOp(Token t) {
        switch (t.type) {
            case ADD: return BinaryOp.ADD;
            case SUB: return BinaryOp.SUB;
            case MUL: return BinaryOp.MUL;
            case DIV: return BinaryOp.DIV;
            case MOD: return BinaryOp.MOD;
            case POW: return BinaryOp.POW;
            case ATAN2: return BinaryOp.ATAN2;
            case EQLC: return BinaryOp.EQLC;
            case NEQ: return BinaryOp.NEQ;
            case LTE: return BinaryOp.LTE;
            case LSS: return BinaryOp.LSS;
            case GTE: return BinaryOp.GTE;
            case GTR: return BinaryOp.GTR;
            case LAND: return BinaryOp.AND;
            case LOR: return BinaryOp.OR;
            case LUNLESS: return BinaryOp.UNLESS;
            default: return null;
        }
    }

    private PromQLException unexpected(Token t, String context, String expected) {
        StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
        if (context != null) {
            sb.append(" in ").append(context);
        }
        if (expected != null) {
            sb.append(", expected ").append(expected);
        }
        return ParseErrors.at(input, t.pos, sb.toString());
    }

    private Token peek() throws PromQLException {
        return peek(0);
    }

    private Token peek(int k) throws PromQLException {
        while (lookahead.size() <= k) {
            Token last = lookahead.isEmpty() ? null : lookahead.get(lookahead.size() - 1);
            if (last != null && last.type == TokenType.EOF) {
                return last;
            }
            lookahead.add(lexer.next());
        }
        return lookahead.get(k);
    }

    private Token next() throws PromQLException {
        Token t = peek(0);
        lookahead.remove(0);
        return t;
    }
}
