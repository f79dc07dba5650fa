package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.ArrayList;
import java.util.List;

/** A function call {@code name(args...)}. */
public final class Call implements Expr {
    private final int position;
    private final Function function;
    private final List<Expr> args;

    public Call(int position, Function function, List<Expr> args) {
        this.position = position;
        this.function = function;
        this.args = List.copyOf(args);
    }

    public Function function() {
        return function;
    }

    public List<Expr> args() {
        return args;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public ValueType type() {
        return function.returnType();
    }

    @Override
    public List<Expr> children() {
        return args;
    }

    @Override
    public String toString() {
        List<String> a = new ArrayList<>(args.size());
        for (Expr e : args) {
            a.add(e.toString());
        }
        return function.name() + "(" + String.join(", ", a) + ")";
    }
}
