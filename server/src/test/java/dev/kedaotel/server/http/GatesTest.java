package dev.kedaotel.server.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpApiServer.Gate}s: order, refusal, a failing gate, and the header parsing of the two gates. */
class GatesTest {
    private HttpApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void gatesRunInOrderBeforeRoutingAndAFailingGateNeverAdmits() throws Exception {
        List<String> seen = new ArrayList<>();
        server = new HttpApiServer("gates");
        server.route("/ok", Set.of("GET"), HttpApiServer.Lane.INLINE, r -> HttpReplies.text(r, 200, "ok\n"));
        server.gate(r -> seen.add("first " + r.path()));
        server.gate(r -> {
            if (r.path().equals("/boom")) {
                throw new IllegalStateException("gate bug");
            }
            if (r.path().equals("/refused")) {
                HttpReplies.text(r, 418, "no\n");
                return false;
            }
            return true;
        });
        server.start("127.0.0.1", 0);
        HttpClient client = HttpClient.newHttpClient();
        assertEquals(200, get(client, "/ok").statusCode());
        assertEquals(418, get(client, "/refused").statusCode());
        HttpResponse<String> boom = get(client, "/boom");
        assertEquals(500, boom.statusCode());
        assertTrue(boom.body().contains("request check failed"), boom.body());
        assertEquals(List.of("first /ok", "first /refused", "first /boom"), seen);
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bearerCredentialsAreParsedAsRfc6750AndRfc7235Say() {
        assertEquals("abc", BearerAuthGate.bearerToken("Bearer abc"));
        assertEquals("abc", BearerAuthGate.bearerToken("  bEaReR   abc  "));
        assertEquals("", BearerAuthGate.bearerToken("Bearer"));
        assertEquals("", BearerAuthGate.bearerToken("Bearer   "));
        assertNull(BearerAuthGate.bearerToken(null));
        assertNull(BearerAuthGate.bearerToken("Basic YTpi"));
        assertNull(BearerAuthGate.bearerToken("Bearerabc"));
        assertNull(BearerAuthGate.bearerToken("Bear"));
    }

    @Test
    void onlyTheJsonMediaTypeIsJson() {
        assertTrue(JsonOnlyGate.isJson("application/json"));
        assertTrue(JsonOnlyGate.isJson("Application/JSON; charset=utf-8"));
        assertFalse(JsonOnlyGate.isJson(null));
        assertFalse(JsonOnlyGate.isJson("text/plain"));
        assertFalse(JsonOnlyGate.isJson("application/json-patch+json"));
        assertFalse(JsonOnlyGate.isJson("application/x-www-form-urlencoded"));
        assertFalse(JsonOnlyGate.isJson("text/plain; a=application/json"));
    }
}
