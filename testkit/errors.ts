// The one error envelope, as every API test checks it: status, code, a human message, the request
// id of the response, and no other fields than these.
import { expect } from 'vitest';

export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  for (const key of Object.keys(body)) expect(['error', 'code', 'requestId', 'details', 'retryAfter']).toContain(key);
  return body;
}
