package dev.kedaotel.server.ui;

import dev.kedaotel.server.http.HttpApiServer;

import java.util.Set;

/**
 * Registers the pages on the HTTP port: {@code /ui} (the {@link StatusPage}) and {@code /ui/explore} (the
 * {@link QueryExplorer}). {@code /} sends a browser here ({@code OpsApi} redirects requests whose
 * {@code Accept} prefers HTML) and keeps its plain-text route list for everything else.
 *
 * <p>Both run on the query lane: they run queries (sparklines, the explorer's query and graph), so they count
 * against {@code QUERY_MAX_CONCURRENCY} / {@code QUERY_MAX_QUEUED} and get the same 503 when it is full.
 * Neither path is open under {@code REST_API_BEARER_TOKEN_FILE}: they show queries and namespaces, so they
 * need the token like the API (see {@code BearerAuthGate}). GET (and HEAD) only: nothing here changes state.
 */
public final class UiPages {
    public static final String STATUS_PATH = "/ui";
    public static final String EXPLORE_PATH = "/ui/explore";

    private final StatusPage status;
    private final QueryExplorer explorer;

    public UiPages(UiSources sources) {
        this.status = new StatusPage(sources);
        this.explorer = new QueryExplorer(sources);
    }

    public void register(HttpApiServer http, HttpApiServer.Lane queries) {
        Set<String> get = Set.of("GET", "HEAD");
        http.route(STATUS_PATH, get, queries, r -> Html.send(r, 200, status.render()));
        http.route(STATUS_PATH + "/", get, queries, r -> Html.send(r, 200, status.render()));
        http.route(EXPLORE_PATH, get, queries, r -> Html.send(r, 200, explorer.render(r)));
    }
}
