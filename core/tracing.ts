// OpenTelemetry traces, exported over OTLP (protobuf over HTTP) when OTEL_EXPORTER_OTLP_ENDPOINT is
// set: the API's requests as server spans, and the agent job under the request that dispatched it
// (the dispatch carries the request's traceparent), with the agents framework's own spans (session,
// LLM, TTS) beneath. Off, nothing is created and the request log's trace ids come from
// api/lib/traceparent.ts alone. The packages are the ones the agents framework depends on.
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { OtelConfig } from './config/env.js';

export interface Tracing {
  provider: NodeTracerProvider;
  tracer: Tracer;
  /** Sends what is buffered (tests; a job's end) and stops. */
  shutdown(): Promise<void>;
}

export function startTracing(otel: OtelConfig, service: string): Tracing | null {
  if (!otel.endpoint) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': otel.serviceName ?? service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otel.endpoint}/v1/traces` }), { scheduledDelayMillis: 1000 })],
  });
  return { provider, tracer: provider.getTracer(service), shutdown: () => provider.shutdown() };
}

/** The caller's span as a parent (a W3C traceparent already checked), or the root. */
export function parentContext(parent: { traceId: string; parentId: string; flags: string } | null): Context {
  if (!parent) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.parentId,
    traceFlags: Number.parseInt(parent.flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}
