{{/* Names and labels. */}}
{{- define "magicdistill.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "magicdistill.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: magicdistill
{{- end -}}

{{/* dict "root" $ "component" "pipeline" */}}
{{- define "magicdistill.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image; dict "root" $ "gpu" bool "image" (per-workload override or nil). */}}
{{- define "magicdistill.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := $img.repository -}}
{{- $tag := $img.tag | default .root.Chart.AppVersion -}}
{{- if .gpu -}}{{- $tag = printf "%s%s" $tag $img.gpuTagSuffix -}}{{- end -}}
{{- with .image -}}
{{- $repo = .repository | default $repo -}}
{{- $tag = .tag | default $tag -}}
{{- end -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/*
Non-secret MAGIC_* settings shared by every workload: the ConfigMap's data, and inline env for the
migration Job (a pre-install hook runs before the ConfigMap exists). Secrets never go here.
*/}}
{{- define "magicdistill.configData" -}}
MAGIC_HOME: {{ .Values.scratch.mountPath | quote }}
MAGIC_TEMPORAL_ADDRESS: {{ required "temporal.address is required" .Values.temporal.address | quote }}
MAGIC_TEMPORAL_NAMESPACE: {{ .Values.temporal.namespace | quote }}
{{- if .Values.temporal.tls.secretName }}
MAGIC_TEMPORAL_TLS_CERT: {{ printf "%s/tls.crt" .Values.temporal.tls.mountPath | quote }}
MAGIC_TEMPORAL_TLS_KEY: {{ printf "%s/tls.key" .Values.temporal.tls.mountPath | quote }}
{{- if .Values.temporal.tls.ca }}
MAGIC_TEMPORAL_TLS_CA: {{ printf "%s/ca.crt" .Values.temporal.tls.mountPath | quote }}
{{- end }}
{{- end }}
{{- with .Values.temporal.tls.serverName }}
MAGIC_TEMPORAL_TLS_SERVER_NAME: {{ . | quote }}
{{- end }}
MAGIC_HEARTBEAT_THROTTLE_SECONDS: {{ .Values.config.heartbeatThrottleSeconds | quote }}
MAGIC_S3_ENDPOINT: {{ required "s3.endpoint is required" .Values.s3.endpoint | quote }}
MAGIC_S3_BUCKET: {{ .Values.s3.bucket | quote }}
MAGIC_S3_REGION: {{ .Values.s3.region | quote }}
MAGIC_S3_PART_SIZE_MB: {{ .Values.s3.partSizeMb | quote }}
MAGIC_JDBC_URL: {{ required "database.jdbcUrl is required" .Values.database.jdbcUrl | quote }}
MAGIC_RECONCILE_SECONDS: {{ .Values.config.reconcileSeconds | quote }}
MAGIC_STALL_SECONDS: {{ .Values.config.stallSeconds | quote }}
MAGIC_CODE_VERSION: {{ .Values.config.codeVersion | default (.Values.image.tag | default .Chart.AppVersion) | quote }}
MAGIC_METRICS_PORT: {{ .Values.metrics.port | quote }}
{{- range $k, $v := .Values.config.extra }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end -}}

{{/*
Container env beyond the ConfigMap: secrets by reference, the pod name as worker identity, and the
per-workload settings. dict "root" $ "role" "pipeline|stages|console|migrate" "poolSize" N
"drainSeconds" N-or-nil "migrate" "migrate|validate|off".
*/}}
{{- define "magicdistill.env" -}}
{{- $v := .root.Values -}}
- name: MAGIC_WORKER_IDENTITY
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: MAGIC_JDBC_USER
  valueFrom:
    secretKeyRef:
      name: {{ $v.database.existingSecret }}
      key: {{ $v.database.userKey }}
- name: MAGIC_JDBC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.database.existingSecret }}
      key: {{ $v.database.passwordKey }}
- name: MAGIC_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.s3.existingSecret }}
      key: {{ $v.s3.accessKeyKey }}
- name: MAGIC_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.s3.existingSecret }}
      key: {{ $v.s3.secretKeyKey }}
{{- with $v.temporal.apiKey.secretName }}
- name: MAGIC_TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.temporal.apiKey.key }}
{{- end }}
- name: MAGIC_DB_MIGRATE
  value: {{ .migrate | quote }}
- name: MAGIC_JDBC_POOL_SIZE
  value: {{ .poolSize | quote }}
{{- if .drainSeconds }}
- name: MAGIC_DRAIN_SECONDS
  value: {{ .drainSeconds | quote }}
{{- end }}
{{- with $v.jvm.toolOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "magicdistill.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "magicdistill.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Volume mounts shared by JVM containers. */}}
{{- define "magicdistill.volumeMounts" -}}
- name: scratch
  mountPath: {{ .Values.scratch.mountPath }}
- name: tmp
  mountPath: /tmp
{{- if .Values.temporal.tls.secretName }}
- name: temporal-tls
  mountPath: {{ .Values.temporal.tls.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* dict "root" $ "sizeLimit" "10Gi" */}}
{{- define "magicdistill.volumes" -}}
- name: scratch
  emptyDir:
    {{- with .sizeLimit }}
    sizeLimit: {{ . }}
    {{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- with .root.Values.temporal.tls.secretName }}
- name: temporal-tls
  secret:
    secretName: {{ . }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/* Health and metrics probes on the management port (liveness turns 503 after a stall). */}}
{{- define "magicdistill.probes" -}}
readinessProbe:
  httpGet:
    path: /ready
    port: metrics
  periodSeconds: 10
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /live
    port: metrics
  initialDelaySeconds: {{ .Values.probes.livenessInitialDelaySeconds }}
  periodSeconds: 30
  failureThreshold: 6
{{- end -}}
