// OpenTelemetry traces through the production wiring: with OTEL_EXPORTER_OTLP_ENDPOINT set, each
// request is a server span exported over OTLP (protobuf over HTTP) to a collector on loopback, under
// the caller's traceparent; the join hands its span to the agent dispatch as the job's parent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../../core/traceparent.js';
import { parentContext } from '../../core/tracing.js';
import { hrUser, PHONE, room, startHarness, type Harness } from '../../testkit/api.js';

/** A stand-in OTLP collector: keeps each export's raw protobuf body. */
let collector: Server;
const exports: Buffer[] = [];
let h: Harness;
beforeAll(async () => {
  collector = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST' && req.url === '/v1/traces' && req.headers['content-type'] === 'application/x-protobuf')
      exports.push(Buffer.concat(chunks));
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  h = await startHarness({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/` });
});
afterAll(async () => {
  await h?.close();
  await h?.deps.tracing?.shutdown();
  await new Promise((resolve) => collector?.close(resolve));
});

const exported = async () => {
  await h.deps.tracing!.provider.forceFlush();
  return Buffer.concat(exports);
};
// Protobuf carries ids as raw bytes and names as UTF-8.
const bytes = (hex: string) => Buffer.from(hex, 'hex');

describe('traces', () => {
  it("exports the join as a server span under the caller's trace, and hands that span to the agent", async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const [traceId, callerSpan] = ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'];
    const res = await h.request(`/api/public/interview/join/${r.roomCode}`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
      json: { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(res.status).toBe(200);
    const answered = parseTraceparent(res.headers.get('traceparent') ?? undefined);
    expect(answered).toMatchObject({ traceId, flags: '01' });
    expect(answered!.parentId).not.toBe(callerSpan);

    const body = await exported();
    for (const id of [traceId, callerSpan, answered!.parentId]) expect(body.includes(bytes(id))).toBe(true);
    expect(body.includes(Buffer.from('POST /api/public/interview/join/:roomCode'))).toBe(true);
    expect(body.includes(Buffer.from('interviewer-api'))).toBe(true);

    // The dispatch names the join's span: the agent's "interview" span is its child.
    const { token } = (await res.json()) as { token: string };
    const claims = await new TokenVerifier(h.config.livekit.apiKey, h.config.livekit.apiSecret).verify(token);
    const meta = JSON.parse(JSON.parse(JSON.stringify(claims.roomConfig)).agents[0].metadata) as { traceparent: string };
    expect(meta.traceparent).toBe(res.headers.get('traceparent'));
    const parent = trace.getSpanContext(parentContext(parseTraceparent(meta.traceparent)));
    expect(parent).toMatchObject({ traceId, spanId: answered!.parentId, isRemote: true, traceFlags: 1 });
  });

  it('starts a trace of its own for a caller without one (the id in the answer is the exported one)', async () => {
    const res = await h.request('/healthz');
    const answered = parseTraceparent(res.headers.get('traceparent') ?? undefined);
    expect(answered).not.toBeNull();
    expect((await exported()).includes(bytes(answered!.traceId))).toBe(true);
  });
});
