import { describe, expect, it } from 'vitest';
import { parseScenarioAddress, SCENARIOS, scenariosOf } from '@/lib/sandbox/scenarios';

describe('parseScenarioAddress', () => {
  it('reads fail+<code> with a catalog code or an HTTP status', () => {
    expect(parseScenarioAddress('fail+insufficient_credits@example.com')).toEqual({
      scenario: { kind: 'fail', code: 'insufficient_credits' },
    });
    expect(parseScenarioAddress('fail+503@example.com')).toEqual({
      scenario: { kind: 'fail', code: 'service_unavailable' },
    });
    expect(parseScenarioAddress('fail+402@any.domain.org')).toEqual({
      scenario: { kind: 'fail', code: 'insufficient_credits' },
    });
    expect(parseScenarioAddress('fail+429@example.com')).toEqual({
      scenario: { kind: 'fail', code: 'rate_limit_exceeded' },
    });
    expect(parseScenarioAddress('FAIL+Daily_Limit_Exceeded@Example.com')).toEqual({
      scenario: { kind: 'fail', code: 'daily_limit_exceeded' },
    });
  });

  it('ignores further +tags so addresses can be unique', () => {
    expect(parseScenarioAddress('fail+500+row-7@example.com')).toEqual({
      scenario: { kind: 'fail', code: 'internal_error' },
    });
  });

  it('reports unknown codes instead of passing them silently', () => {
    expect(parseScenarioAddress('fail+teapot@example.com')).toHaveProperty('problem');
    expect(parseScenarioAddress('fail+502@example.com')).toHaveProperty('problem');
    expect(parseScenarioAddress('fail@example.com')).toHaveProperty('problem');
    expect(parseScenarioAddress('flaky+nope@example.com')).toHaveProperty('problem');
  });

  it('reads flaky+<code>[+<n>] with n defaulting to 1', () => {
    expect(parseScenarioAddress('flaky+503@example.com')).toEqual({
      scenario: { kind: 'flaky', code: 'service_unavailable', times: 1 },
    });
    expect(parseScenarioAddress('flaky+internal_error+3@example.com')).toEqual({
      scenario: { kind: 'flaky', code: 'internal_error', times: 3 },
    });
    expect(parseScenarioAddress('flaky+503+0@example.com')).toHaveProperty('problem');
  });

  it('reads slow+<ms>, capped at 60 s', () => {
    expect(parseScenarioAddress('slow+2500@example.com')).toEqual({ scenario: { kind: 'slow', ms: 2500 } });
    expect(parseScenarioAddress('slow+999999@example.com')).toEqual({
      scenario: { kind: 'slow', ms: 60_000 },
    });
    expect(parseScenarioAddress('slow+soon@example.com')).toHaveProperty('problem');
  });

  it('reads drop and drop+once', () => {
    expect(parseScenarioAddress('drop@example.com')).toEqual({ scenario: { kind: 'drop', once: false } });
    expect(parseScenarioAddress('drop+once@example.com')).toEqual({ scenario: { kind: 'drop', once: true } });
  });

  it('leaves ordinary addresses alone', () => {
    for (const email of [
      'someone@example.com',
      'failure@example.com',
      'a+fail@example.com',
      'dropbox@example.com',
      'not-an-email',
    ])
      expect(parseScenarioAddress(email), email).toBeNull();
  });

  it('parses every documented example to a scenario', () => {
    for (const doc of SCENARIOS) {
      const parsed = parseScenarioAddress(doc.example);
      expect(parsed && 'scenario' in parsed, doc.example).toBe(true);
    }
  });
});

describe('scenariosOf', () => {
  it('reads to, cc and bcc and names the field of the address', () => {
    const found = scenariosOf({
      to: { email: 'a@example.com' },
      cc: [{ email: 'b@example.com' }, { email: 'fail+422@example.com' }],
      bcc: [{ email: 'slow+100@example.com' }, { email: 'slow+300@example.com' }],
    });
    expect(found.fail).toEqual({
      code: 'validation_error',
      field: 'cc.1.email',
      address: 'fail+422@example.com',
    });
    expect(found.slowMs).toBe(300);
    expect(found.problems).toEqual([]);
  });

  it('lets drop win over drop+once and reports unknown scenarios with their field', () => {
    expect(scenariosOf({ to: { email: 'drop+once@x.com' }, cc: [{ email: 'drop@x.com' }] }).drop).toBe(
      'always',
    );
    expect(scenariosOf({ to: { email: 'drop@x.com' }, cc: [{ email: 'drop+once@x.com' }] }).drop).toBe(
      'always',
    );
    expect(scenariosOf({ to: { email: 'fail+nope@x.com' } }).problems.map((p) => p.field)).toEqual([
      'to.email',
    ]);
  });
});
