package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

class ChartLintTest {

    @Test
    void strictLintReportsNoWarningOrError() {
        LintResult result = new Helm(Chart.chartDir()).lint().strict().call();
        List<String> problems = result.getMessages().stream()
                .filter(m -> m.contains("[WARNING]") || m.contains("[ERROR]"))
                .collect(Collectors.toList());
        assertFalse(result.isFailed(), () -> "helm lint --strict failed: " + result.getMessages());
        assertTrue(problems.isEmpty(), () -> "helm lint --strict: " + problems);
    }
}
