import { describe, expect, it } from 'vitest';
import { ExitCode, FlowError, GmailTokenError, InterruptedError, UsageError } from '../../src/core/errors.js';

describe('exit codes', () => {
  it('usage 2, flow 1, interrupted 130, each error carrying its own, named after its class', () => {
    expect(ExitCode).toEqual({ ok: 0, failed: 1, usage: 2, interrupted: 130 });
    const usageError = new UsageError('u');
    expect([usageError.exitCode, usageError.name, usageError.message]).toEqual([2, 'UsageError', 'u']);
    const flow = new FlowError('f');
    expect([flow.exitCode, flow.name]).toEqual([1, 'FlowError']);
    const interrupted = new InterruptedError();
    expect([interrupted.exitCode, interrupted.name, interrupted.message]).toEqual([130, 'InterruptedError', 'Interrupted; nothing was written.']);
    for (const error of [usageError, flow, interrupted]) expect(error).toBeInstanceOf(GmailTokenError);
  });
});

describe('Ctrl-C', () => {
  it('says nothing was written', () => {
    expect(new InterruptedError().message).toBe('Interrupted; nothing was written.');
  });
});
