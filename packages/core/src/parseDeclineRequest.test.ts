import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidMessageError, PermanentError } from './errors.js';
import { parseDeclineRequest } from './parseDeclineRequest.js';

describe('parseDeclineRequest', () => {
  it('accepts the seed body with string or integer ids', () => {
    expect(parseDeclineRequest('{"jobId":"job-1","id":"app_2"}')).toEqual({ jobId: 'job-1', applicationId: 'app_2' });
    expect(parseDeclineRequest('{"jobId":17,"id":0}')).toEqual({ jobId: '17', applicationId: '0' });
    expect(parseDeclineRequest('{"jobId":"01HZX3:a.b@c","id":"9","extra":"ignored"}')).toEqual({
      jobId: '01HZX3:a.b@c',
      applicationId: '9',
    });
    expect(parseDeclineRequest(JSON.stringify({ jobId: 'j', id: 'x'.repeat(128) })).applicationId).toHaveLength(128);
  });

  const long = 'x'.repeat(129);
  const cases: [string, unknown, InvalidMessageError['field'], RegExp][] = [
    ['not JSON', '{jobId: 1', 'body', /is not valid JSON/],
    ['an empty body', '', 'body', /is empty/],
    ['a JSON array', '[1,2]', 'body', /must be a JSON object .* got an array/],
    ['a JSON string', '"hello"', 'body', /got a string/],
    ['JSON null', 'null', 'body', /got null/],
    ['a JSON number', '42', 'body', /got a number/],
    ['a body that is not a string', 42, 'body', /must be a string, got number/],
    ['a missing jobId', '{"id":"1"}', 'jobId', /is missing/],
    ['a missing id', '{"jobId":"1"}', 'id', /is missing/],
    ['an empty jobId', '{"jobId":"","id":"1"}', 'jobId', /is empty/],
    ['an empty id', '{"jobId":"1","id":""}', 'id', /is empty/],
    ['a boolean id', '{"jobId":"1","id":true}', 'id', /must be a string or an integer, got boolean/],
    ['a null jobId', '{"jobId":null,"id":"1"}', 'jobId', /got null/],
    ['an object id', '{"jobId":"1","id":{"S":"x"}}', 'id', /got object/],
    ['an array id', '{"jobId":["1"],"id":"1"}', 'jobId', /got an array/],
    ['a float id', '{"jobId":"1","id":1.5}', 'id', /must be an integer, got a number with a fraction/],
    ['an unsafe integer id', '{"jobId":"1","id":9007199254740993}', 'id', /beyond 2\^53 - 1/],
    ['a negative id', '{"jobId":-1,"id":"1"}', 'jobId', /must not be negative/],
    ['a # in the jobId', '{"jobId":"1#APPLICATION#2","id":"3"}', 'jobId', /"#" \(the key separator\)/],
    ['a # in the id', '{"jobId":"1","id":"#"}', 'id', /"#"/],
    ['a space in an id', '{"jobId":"1","id":"a b"}', 'id', /whitespace/],
    ['a tab in an id', '{"jobId":"1\\t","id":"1"}', 'jobId', /whitespace/],
    ['a control character in an id', '{"jobId":"1","id":"a\\u0000"}', 'id', /control character/],
    ['a non-ASCII letter in an id', '{"jobId":"1","id":"é"}', 'id', /U\+00E9/],
    ['a 129-character id', JSON.stringify({ jobId: '1', id: long }), 'id', /129 characters long; at most 128/],
    ['a __proto__ key', '{"__proto__":{"x":1},"jobId":"1","id":"2"}', 'body', /"__proto__"/],
    ['a constructor key', '{"constructor":1,"jobId":"1","id":"2"}', 'body', /"constructor"/],
    ['a huge body', JSON.stringify({ jobId: '1', id: '2', pad: 'x'.repeat(20_000) }), 'body', /at most 16384/],
  ];

  it.each(cases)('rejects %s with its own reason', (_name, body, field, reason) => {
    let caught: unknown;
    try {
      parseDeclineRequest(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidMessageError);
    expect(caught).toBeInstanceOf(PermanentError);
    const error = caught as InvalidMessageError;
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(error.reason);
  });

  it('gives each case above a distinct reason', () => {
    const reasons = new Set(
      cases.map(([, body]) => {
        try {
          parseDeclineRequest(body);
          return 'accepted';
        } catch (error) {
          return `${(error as InvalidMessageError).field}: ${(error as InvalidMessageError).reason}`;
        }
      }),
    );
    expect(reasons.size).toBe(cases.length);
  });

  it('never echoes more than a short, sanitized excerpt of the body', () => {
    const secret = `{"jobId":"1","id":"2 ${'secret-'.repeat(20)}","email":"someone@example.com"}`;
    try {
      parseDeclineRequest(secret);
      expect.unreachable();
    } catch (error) {
      const invalid = error as InvalidMessageError;
      expect(invalid.message).not.toContain('secret-');
      expect(invalid.message).not.toContain('example.com');
      expect(invalid.excerpt.length).toBeLessThanOrEqual(33);
      expect(invalid.excerpt).toMatch(/^[\x20-\x7e]*…?$/);
    }
    try {
      parseDeclineRequest('\u0000\u0007{bad json with a newline\n and more');
    } catch (error) {
      expect((error as InvalidMessageError).excerpt).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('throws nothing but InvalidMessageError on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.json(),
          fc.record({ jobId: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), id: fc.anything() }).map((v) => JSON.stringify(v)),
        ),
        (body) => {
          try {
            const request = parseDeclineRequest(body);
            expect(request.jobId).toMatch(/^[A-Za-z0-9_.:@-]{1,128}$/);
            expect(request.applicationId).toMatch(/^[A-Za-z0-9_.:@-]{1,128}$/);
          } catch (error) {
            if (!(error instanceof InvalidMessageError)) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
