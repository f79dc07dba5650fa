package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What helm prints after install: the addresses to paste into ScaledObjects and collectors. */
class NotesTest {

    @Test
    void defaultInstallPrintsKserveDefaultEndpoints() {
        String notes = Chart.asDocumented().renderNotes();
        assertTrue(notes.contains("scalerAddress: keda-otel-scaler.keda.svc:4318"), notes);
        assertTrue(notes.contains("OTLP/gRPC:  keda-otel-scaler.keda.svc:4317"), notes);
        assertTrue(notes.contains("http://keda-otel-scaler.keda.svc:9090"), notes);
        assertTrue(notes.contains("TLS is off") && notes.contains("networkPolicy.enabled=true"), notes);
        assertTrue(notes.contains("tls.insecure: true"), notes);
        assertFalse(notes.contains("WARNING"), notes);
    }

    @Test
    void addressesFollowReleaseNamespaceServiceNameAndPorts() {
        String notes = Chart.release("otel", "monitoring").set("service.name", "scaler")
                .values("custom-ports.yaml").renderNotes();
        assertTrue(notes.contains("scalerAddress: scaler.monitoring.svc:14318"), notes);
        assertTrue(notes.contains("OTLP/gRPC:  scaler.monitoring.svc:14317"), notes);
        assertTrue(notes.contains("port-forward svc/scaler 19090"), notes);
    }

    @Test
    void moreThanOneReplicaIsWarnedAbout() {
        String notes = Chart.asDocumented().set("replicaCount", 2).renderNotes();
        assertTrue(notes.contains("WARNING: replicaCount=2"), notes);
    }
}
