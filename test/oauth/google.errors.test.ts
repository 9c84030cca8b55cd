import { describe, expect, it } from 'vitest';
import { describeFailure, googleFailure } from '../../src/oauth/google.js';

describe("Google's errors, as data", () => {
  it('keeps status, error and description, with control characters blanked and length bounded', () => {
    const failure = googleFailure({ response: { status: 400, data: { error: 'invalid_grant\u001b[31m', error_description: `Bad\r\nRequest ${'x'.repeat(300)}` } } });
    expect(failure.status).toBe(400);
    expect(failure.error).toBe('invalid_grant [31m');
    expect(failure.description).toBe(`Bad Request ${'x'.repeat(188)}`);
    expect(failure.network).toBeUndefined();
  });

  it("reads Google API's nested error shape", () => {
    expect(googleFailure({ response: { status: 403, data: { error: { status: 'PERMISSION_DENIED', message: 'no' } } } })).toEqual({
      status: 403,
      error: 'PERMISSION_DENIED',
      description: 'no',
      network: undefined,
    });
  });

  it("never carries the library's own message, which can quote the request", () => {
    const failure = googleFailure(Object.assign(new Error('request to https://x/token?refresh_token=1//secret failed'), { cause: { code: 'ECONNRESET' } }));
    expect(failure).toEqual({ status: undefined, error: undefined, description: undefined, network: 'ECONNRESET' });
    expect(describeFailure(failure, 'Refreshing').message).toBe('Refreshing failed: could not reach Google (ECONNRESET). Check your network or proxy and try again.');
  });
});
