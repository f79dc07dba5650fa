{{/*
Names. kedify/otel-add-on names everything after the release (or fullnameOverride), not
"<release>-<chart>", and KServe's defaults depend on that: release keda-otel-scaler in namespace
keda must give the Service keda-otel-scaler.keda.svc. Keep that rule.
*/}}
{{- define "kos.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kos.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kos.serviceName" -}}
{{- default (include "kos.fullname" .) .Values.service.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kos.namespace" -}}
{{- default .Release.Namespace .Values.namespace }}
{{- end }}

{{- define "kos.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kos.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kos.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kos.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kos.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kos.labels" -}}
helm.sh/chart: {{ include "kos.chart" . }}
{{ include "kos.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: scaler
{{- end }}

{{- define "kos.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* In-cluster DNS name of the Service, as ScaledObjects and collectors should use it. */}}
{{- define "kos.serviceHost" -}}
{{- printf "%s.%s.svc" (include "kos.serviceName" .) (include "kos.namespace" .) }}
{{- end }}

{{/*
TLS is not implemented by the server yet, and the server refuses to start when the TLS variables
are set. Failing here, at install time, tells the user why instead of leaving a crash-looping pod;
and it can never end in a plaintext server the user believes is encrypted.
*/}}
{{- define "kos.tlsRequested" -}}
{{- $t := .Values.settings.tls -}}
{{- if or $t.caFile $t.certFile $t.keyFile $t.keda.enabled $t.keda.certFile $t.keda.keyFile $t.secrets -}}
true
{{- end -}}
{{- end }}

{{- define "kos.failIfUnsupported" -}}
{{- if include "kos.tlsRequested" . }}
{{- fail (printf "settings.tls is set, but keda-otel-scaler %s does not support TLS yet (it arrives in a later version). Remove the settings.tls.* values (caFile, certFile, keyFile, keda.*, secrets); the server would refuse to start rather than serve plaintext." .Chart.AppVersion) }}
{{- end }}
{{- if contains "kedify/otel-add-on" .Values.image.repository }}
{{- fail (printf "image.repository is %s, the Go add-on's image, which this chart cannot run (different probes and flags). Remove image.repository from your kedify values to use keda-otel-scaler's image." .Values.image.repository) }}
{{- end }}
{{- if .Values.otelCollector.enabled }}
{{- fail "otelCollector.enabled: this chart does not bundle an OpenTelemetry collector. Deploy one yourself; helm/examples/otel-collector-sidecar shows a collector exporting to this scaler." }}
{{- end }}
{{- if .Values.otelOperator.enabled }}
{{- fail "otelOperator.enabled: this chart does not bundle the OpenTelemetry operator. Install it from its own chart; helm/examples/otel-collector-sidecar shows the OpenTelemetryCollector to create." }}
{{- end }}
{{- range .Values.otelOperatorCrs }}
{{- if .enabled }}
{{- fail "otelOperatorCrs[].enabled: this chart does not create OpenTelemetryCollector resources. Apply one yourself; see helm/examples/otel-collector-sidecar." }}
{{- end }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)." }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (kindIs "invalid" .Values.podDisruptionBudget.minAvailable) (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable) }}
{{- fail "podDisruptionBudget: set one of minAvailable or maxUnavailable." }}
{{- end }}
{{- end }}
