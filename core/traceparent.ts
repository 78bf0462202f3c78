// W3C Trace Context (https://www.w3.org/TR/trace-context/): a request's trace id comes from the
// caller's `traceparent` when it is well formed, otherwise it starts here. Each request is a span of
// its own, so the answer names a new span id under the same trace.
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  traceId: string;
  spanId: string;
  /** The caller's flags (bit 0: sampled); 01 when the trace starts here. */
  flags: string;
}

// Version 00's layout. A later version may add fields after these, which we then ignore (as the spec asks).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function parseTraceparent(header: string | undefined): (Omit<TraceContext, 'spanId'> & { parentId: string }) | null {
  if (!header || header.length > 512) return null;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return null;
  const [, version, traceId, parentId, flags, rest] = m;
  // ff is forbidden; version 00 has nothing after the flags; all-zero ids are invalid.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return null;
  return { traceId: traceId!, parentId: parentId!, flags: flags! };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** This request's span: under the caller's trace, or a new trace. */
export function startSpan(header: string | undefined): TraceContext {
  const parent = parseTraceparent(header);
  return { traceId: parent?.traceId ?? hex(16), spanId: hex(8), flags: parent?.flags ?? '01' };
}

export const formatTraceparent = (t: TraceContext) => `00-${t.traceId}-${t.spanId}-${t.flags}`;
