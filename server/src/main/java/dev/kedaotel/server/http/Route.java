package dev.kedaotel.server.http;

import java.io.IOException;

/** One endpoint's handler. Exceptions it throws become a 500 JSON error; they never kill the server. */
@FunctionalInterface
public interface Route {
    void handle(HttpRequest request) throws IOException;
}
