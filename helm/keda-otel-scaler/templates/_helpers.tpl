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

{{/*
The headless Service: every pod's address, ready or not (publishNotReadyAddresses), for collectors
that export to each replica; with workloadKind StatefulSet it also gives each pod a stable DNS name,
<pod>.<this>.<ns>.svc.
*/}}
{{- define "kos.headlessServiceName" -}}
{{- printf "%s-headless" (include "kos.serviceName" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "kos.headlessServiceEnabled" -}}
{{- if or .Values.headlessService.enabled (gt (int .Values.replicaCount) 1) (eq .Values.workloadKind "StatefulSet") -}}
true
{{- end -}}
{{- end }}

{{/* Where the data volume is mounted; METRIC_STORE_DATA_DIR points here. */}}
{{- define "kos.dataDir" -}}
/var/lib/keda-otel-scaler
{{- end }}

{{/*
The pod's affinity as JSON: the user's `affinity`, plus, with more than one replica and no
podAntiAffinity of the user's, anti-affinity between replicas on the node (kubernetes.io/hostname):
preferred ("soft") or required ("hard"), so one node's loss leaves a caught-up replica serving.
*/}}
{{- define "kos.affinity" -}}
{{- $aff := deepCopy (default dict .Values.affinity) -}}
{{- $mode := .Values.highAvailability.podAntiAffinity -}}
{{- if and (gt (int .Values.replicaCount) 1) (ne $mode "none") (not (hasKey $aff "podAntiAffinity")) -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "kos.selectorLabels" . | fromYaml)) -}}
{{- if eq $mode "hard" -}}
{{- $_ := set $aff "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) -}}
{{- else -}}
{{- $_ := set $aff "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) -}}
{{- end -}}
{{- end -}}
{{- toJson $aff -}}
{{- end }}

{{/* topologySpreadConstraints as a JSON array: the user's, plus a zone spread with highAvailability.zoneSpread. */}}
{{- define "kos.topologySpread" -}}
{{- $c := concat (list) (default list .Values.topologySpreadConstraints) -}}
{{- if and .Values.highAvailability.zoneSpread (gt (int .Values.replicaCount) 1) -}}
{{- $c = append $c (dict "maxSkew" 1 "topologyKey" "topology.kubernetes.io/zone" "whenUnsatisfiable" "ScheduleAnyway" "labelSelector" (dict "matchLabels" (include "kos.selectorLabels" . | fromYaml))) -}}
{{- end -}}
{{- toJson $c -}}
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
TLS files per port, as the server gets them: a JSON object with otlp, keda, restApi and
internalMetrics, each {cert, key, ca, tls, mtls}. Explicit settings.tls values win; a port with
neither its certFile nor its keyFile set takes the certManager Secret's files when certManager
serves it. The KEDA port keeps kedify's rule: with keda.enabled its cert/key fall back to the OTLP
ones. Read it with fromJson (include "kos.tls" .).
*/}}
{{- define "kos.tls" -}}
{{- $t := .Values.settings.tls -}}
{{- $cm := .Values.certManager -}}
{{- $dir := trimSuffix "/" $cm.mountPath -}}
{{- $explicit := dict
    "otlp" (dict "cert" $t.certFile "key" $t.keyFile "ca" $t.caFile)
    "keda" (dict "cert" $t.keda.certFile "key" $t.keda.keyFile "ca" $t.keda.caFile)
    "restApi" (dict "cert" $t.restApi.certFile "key" $t.restApi.keyFile "ca" $t.restApi.caFile)
    "internalMetrics" (dict "cert" $t.internalMetrics.certFile "key" $t.internalMetrics.keyFile "ca" $t.internalMetrics.caFile) -}}
{{- $out := dict -}}
{{- range $port, $e := $explicit -}}
{{- $cert := $e.cert -}}
{{- $key := $e.key -}}
{{- $ca := $e.ca -}}
{{- if and $cm.enabled (has $port $cm.ports) (not $cert) (not $key) -}}
{{- $cert = printf "%s/tls.crt" $dir -}}
{{- $key = printf "%s/tls.key" $dir -}}
{{- end -}}
{{- if and $cm.enabled (has $port $cm.mtlsPorts) (not $ca) -}}
{{- $ca = printf "%s/ca.crt" $dir -}}
{{- end -}}
{{- if and (eq $port "keda") $t.keda.enabled (not $cert) (not $key) -}}
{{- $cert = $t.certFile -}}
{{- $key = $t.keyFile -}}
{{- end -}}
{{- $_ := set $out $port (dict "cert" $cert "key" $key "ca" $ca "tls" (and $cert $key | empty | not) "mtls" (and $cert $key $ca | empty | not)) -}}
{{- end -}}
{{- $kedaServed := and $cm.enabled (has "keda" $cm.ports) -}}
{{- $_ := set $out.keda "enabled" (or $t.keda.enabled $kedaServed) -}}
{{- toJson $out -}}
{{- end }}

{{/* Name of the Secret holding the bearer token(s), or nothing when the API is open. */}}
{{- define "kos.bearerTokenSecret" -}}
{{- $b := .Values.settings.auth.bearerToken -}}
{{- if $b.existingSecret -}}
{{- $b.existingSecret -}}
{{- else if $b.create -}}
{{- printf "%s-bearer-token" (include "kos.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "kos.bearerTokenDir" -}}
/etc/keda-otel-scaler/bearer-token
{{- end }}

{{- define "kos.certManagerSecret" -}}
{{- default (printf "%s-tls" (include "kos.fullname" .)) .Values.certManager.secretName | trunc 253 -}}
{{- end }}

{{/*
DNS names of the Service, as clients in the cluster use them; with the headless Service also its
pods' names (*.<svc>-headless.<ns>.svc), which collectors exporting to each replica verify.
*/}}
{{- define "kos.serviceDnsNames" -}}
{{- $svc := include "kos.serviceName" . -}}
{{- $ns := include "kos.namespace" . -}}
{{- $names := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) -}}
{{- if include "kos.headlessServiceEnabled" . -}}
{{- $headless := include "kos.headlessServiceName" . -}}
{{- $names = concat $names (list (printf "*.%s.%s.svc" $headless $ns) (printf "*.%s.%s.svc.cluster.local" $headless $ns)) -}}
{{- end -}}
{{- toJson $names -}}
{{- end }}

{{/*
The probe handler the chart adds when the user gives none: JSON {port, scheme}. The kubelet neither
verifies server certificates nor presents client certificates, so HTTPS on a TLS port works, and a
port that requires client certificates cannot be probed: the probes move to the metrics port (which
serves /healthz and /readyz too) or, when both HTTP ports require client certificates, the install
fails unless both probes carry the user's own handler.
*/}}
{{- define "kos.probeTarget" -}}
{{- $p := fromJson (include "kos.tls" .) -}}
{{- if not $p.restApi.mtls -}}
{{- toJson (dict "port" "http" "scheme" (ternary "HTTPS" "HTTP" $p.restApi.tls)) -}}
{{- else if not $p.internalMetrics.mtls -}}
{{- toJson (dict "port" "metrics" "scheme" (ternary "HTTPS" "HTTP" $p.internalMetrics.tls)) -}}
{{- end -}}
{{- end }}

{{- define "kos.hasProbeHandler" -}}
{{- if or (hasKey . "httpGet") (hasKey . "tcpSocket") (hasKey . "exec") (hasKey . "grpc") -}}
true
{{- end -}}
{{- end }}

{{/* Checks one port's TLS values; fails naming the value to fix. */}}
{{- define "kos.checkTlsPort" -}}
{{- $e := index . 0 -}}
{{- $where := index . 1 -}}
{{- $env := index . 2 -}}
{{- if and $e.cert (not $e.key) -}}
{{- fail (printf "%scertFile is set but %skeyFile is not: TLS on this port needs both (%s_KEY_FILE)." $where $where $env) -}}
{{- end -}}
{{- if and $e.key (not $e.cert) -}}
{{- fail (printf "%skeyFile is set but %scertFile is not: TLS on this port needs both (%s_CERT_FILE)." $where $where $env) -}}
{{- end -}}
{{- if and $e.ca (not $e.cert) -}}
{{- fail (printf "%scaFile is set but %scertFile and %skeyFile are not: client certificates need a TLS port (%s_CERT_FILE)." $where $where $where $env) -}}
{{- end -}}
{{- end }}

{{- define "kos.failIfUnsupported" -}}
{{- $t := .Values.settings.tls -}}
{{- $cm := .Values.certManager -}}
{{- $p := fromJson (include "kos.tls" .) -}}
{{- if $cm.enabled -}}
{{- if not $cm.issuerRef.name -}}
{{- fail "certManager.enabled: set certManager.issuerRef.name (and kind: Issuer or ClusterIssuer) to the cert-manager issuer that signs the scaler's certificate." -}}
{{- end -}}
{{- range $cm.mtlsPorts -}}
{{- if not (has . $cm.ports) -}}
{{- fail (printf "certManager.mtlsPorts lists %s, which certManager.ports does not: a port can only require client certificates when it serves TLS. Add %s to certManager.ports." . .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (not $p.keda.enabled) (or $t.keda.certFile $t.keda.keyFile $t.keda.caFile) -}}
{{- fail "settings.tls.keda.certFile, keyFile or caFile is set but settings.tls.keda.enabled is false, so the KEDA port would stay plaintext. Set settings.tls.keda.enabled=true (or remove the files)." -}}
{{- end -}}
{{- if and $p.keda.enabled (not $p.keda.cert) (not $p.keda.key) -}}
{{- fail "settings.tls.keda.enabled is true but no certificate is given: set settings.tls.keda.certFile and keyFile (or settings.tls.certFile and keyFile, which the KEDA port falls back to), or let certManager serve the keda port." -}}
{{- end -}}
{{- include "kos.checkTlsPort" (list $p.otlp "settings.tls." "OTLP_TLS") -}}
{{- include "kos.checkTlsPort" (list $p.keda "settings.tls.keda." "KEDA_TLS") -}}
{{- include "kos.checkTlsPort" (list $p.restApi "settings.tls.restApi." "REST_API_TLS") -}}
{{- include "kos.checkTlsPort" (list $p.internalMetrics "settings.tls.internalMetrics." "INTERNAL_METRICS_TLS") -}}
{{- $b := .Values.settings.auth.bearerToken -}}
{{- if and $b.existingSecret $b.create -}}
{{- fail "settings.auth.bearerToken: set existingSecret or create, not both." -}}
{{- end -}}
{{- if and $b.create (not $b.value) -}}
{{- fail "settings.auth.bearerToken.create is true but value is empty: give the token in settings.auth.bearerToken.value, or name an existing Secret in existingSecret." -}}
{{- end -}}
{{- if and $b.value (not $b.create) -}}
{{- fail "settings.auth.bearerToken.value is set but create is false, so no Secret would hold it and the API would stay open. Set settings.auth.bearerToken.create=true (or use existingSecret)." -}}
{{- end -}}
{{- if and .Values.deployScaler (not (include "kos.probeTarget" .)) -}}
{{- if not (and (include "kos.hasProbeHandler" .Values.livenessProbe) (include "kos.hasProbeHandler" .Values.readinessProbe)) -}}
{{- fail "Both the http port (settings.tls.restApi.caFile) and the metrics port (settings.tls.internalMetrics.caFile) require client certificates (directly or through certManager.mtlsPorts), and the kubelet cannot present one, so no HTTP probe can reach the server. Drop the client CA of one of them (internalMetrics is the usual choice), or give livenessProbe and readinessProbe a handler yourself, e.g. tcpSocket: {port: http}." -}}
{{- end -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled $p.internalMetrics.mtls (not .Values.serviceMonitor.tlsConfig.cert) -}}
{{- fail "serviceMonitor.enabled, but the metrics port requires client certificates (settings.tls.internalMetrics.caFile or certManager.mtlsPorts): give Prometheus one in serviceMonitor.tlsConfig (cert, keySecret and ca)." -}}
{{- end -}}
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
{{- include "kos.checkReplicas" . }}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)." }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (kindIs "invalid" .Values.podDisruptionBudget.minAvailable) (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable) }}
{{- fail "podDisruptionBudget: set one of minAvailable or maxUnavailable." }}
{{- end }}
{{- end }}

{{/* Replica, workload and persistence values that contradict each other; fails naming the values. */}}
{{- define "kos.checkReplicas" -}}
{{- $d := .Values.persistence -}}
{{- $sts := eq .Values.workloadKind "StatefulSet" -}}
{{- if and $d.enabled $d.existingClaim $d.volumeClaimTemplate.enabled -}}
{{- fail "persistence: set existingClaim or volumeClaimTemplate.enabled, not both." -}}
{{- end -}}
{{- if and $d.enabled $d.volumeClaimTemplate.enabled (not $sts) -}}
{{- fail "persistence.volumeClaimTemplate.enabled needs workloadKind=StatefulSet (one claim per replica); a Deployment can use persistence.existingClaim (one replica) or the emptyDir." -}}
{{- end -}}
{{- if and $d.enabled $d.existingClaim (gt (int .Values.replicaCount) 1) -}}
{{- fail (printf "persistence.existingClaim with replicaCount=%d: every replica would mount the same claim, which a ReadWriteOnce volume cannot attach to two nodes, and two servers must never write one data dir. Use workloadKind=StatefulSet with persistence.volumeClaimTemplate.enabled=true (a claim per replica), or the emptyDir (persistence.existingClaim empty)." (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and $d.enabled $d.existingClaim (not $sts) (eq .Values.deploymentStrategy "RollingUpdate") -}}
{{- fail "persistence.existingClaim with deploymentStrategy=RollingUpdate: the new pod cannot mount the claim while the old pod holds it (ReadWriteOnce; and two servers must never write one data dir), and maxUnavailable 0 keeps the old pod, so the rollout would never finish. Set deploymentStrategy=Recreate." -}}
{{- end -}}
{{- end }}
