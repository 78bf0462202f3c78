import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent, startSpan } from '../../core/traceparent.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads a version 00 header', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({ traceId: TRACE, parentId: PARENT, flags: '01' });
  });

  it('reads a later version, ignoring what follows the flags', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-00-more`)?.traceId).toBe(TRACE);
  });

  it('refuses what the spec says to refuse', () => {
    for (const bad of [
      undefined,
      '',
      `ff-${TRACE}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}-01-extra`,
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      `00-${TRACE.slice(1)}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}`,
      `00-${TRACE}-${PARENT}-01`.repeat(20),
    ]) {
      expect(parseTraceparent(bad), String(bad)).toBeNull();
    }
  });

  it('continues a trace under a new span, or starts one', () => {
    const child = startSpan(`00-${TRACE}-${PARENT}-00`);
    expect(child.traceId).toBe(TRACE);
    expect(child.spanId).not.toBe(PARENT);
    expect(formatTraceparent(child)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    const fresh = startSpan('nonsense');
    expect(parseTraceparent(formatTraceparent(fresh))).toEqual({ traceId: fresh.traceId, parentId: fresh.spanId, flags: '01' });
  });
});
