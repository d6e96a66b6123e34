export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'code', 'traceId'] as const;

/** Headers as fetch() gives them or as a plain object with lower-case names. */
type AnyHeaders = Headers | Record<string, string>;
const header = (headers: AnyHeaders, name: string) =>
  headers instanceof Headers ? headers.get(name) : (headers[name] ?? null);

/** An RFC 9457 problem as Ficus promises it: every field, a stable code, the traceId echoed. */
export function expectProblem(res: { status: number; headers: AnyHeaders; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(header(res.headers, 'content-type')).toBe(PROBLEM_CONTENT_TYPE);
  for (const field of PROBLEM_FIELDS) expect(res.body).toHaveProperty(field);
  expect(res.body.status).toBe(status);
  expect(res.body.traceId).toBe(header(res.headers, 'x-request-id'));
}
