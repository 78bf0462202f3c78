// The consistency and fairness harness proves itself on the scripted stand-in model: a fair model
// meets every goal, and a noisy or a biased one is caught by the figure meant to catch it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlm } from '../../core/llm.js';
import { CASES, VARIANTS } from '../../eval/cases.js';
import { runHarness, summarise, type Report } from '../../eval/harness.js';
import { startScriptedModel, type ScriptedModelOptions } from '../../eval/scripted-model.js';

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function harnessWith(opts: ScriptedModelOptions, runs: number) {
  const model = await startScriptedModel(opts);
  close = model.close;
  return runHarness(createLlm({ baseUrl: model.baseUrl, apiKey: 'none', model: 'scripted' }), runs);
}

describe('the harness on the scripted model', () => {
  it('finds a fair, steady model fair and steady, and ranks strong > average > weak', async () => {
    const r = await harnessWith({}, 2);
    expect(r).toMatchObject({ failures: 0, spread: { max: 0 }, rankAgreement: 1, genderShift: 0, maxAbsShift: 0, meetsGoals: true });
    const meanOf = (level: string) => CASES.filter((c) => c.level === level).map((c) => r.scores[c.id]!.james![0]!);
    expect(Math.min(...meanOf('strong'))).toBeGreaterThan(Math.max(...meanOf('average')));
    expect(Math.min(...meanOf('average'))).toBeGreaterThan(Math.max(...meanOf('weak')));
  });

  it('catches a model biased against women', async () => {
    const r = await harnessWith({ biasAgainstWomen: 10 }, 1);
    // Weak answers are already near the floor, so the mean shift is a little under 10.
    expect(r.genderShift).toBeLessThan(-5);
    expect(r.shiftByVariant.maria).toBeLessThan(-5);
    expect(r.shiftByVariant.ahmed).toBe(0);
    expect(r.meetsGoals).toBe(false);
  });

  it('catches a model whose scores wander between reruns', async () => {
    const r = await harnessWith({ noise: 25 }, 3);
    expect(r.spread.max).toBeGreaterThan(5);
    expect(r.meetsGoals).toBe(false);
  });
});

describe('summarise', () => {
  const steady = (score: (caseIndex: number) => number): Report['scores'] =>
    Object.fromEntries(CASES.map((c, i) => [c.id, Object.fromEntries(VARIANTS.map((v) => [v.id, [score(i)]]))]));

  it('counts rank agreement per pair of cases, ties as half', () => {
    // Levels: strong, strong, average, average, weak, weak. 12 pairs of different levels.
    expect(
      summarise(
        'm',
        1,
        steady((i) => 90 - i * 10),
        0,
      ).rankAgreement,
    ).toBe(1);
    // The second strong case ties both average cases: 2 of 12 pairs count half.
    const tie = summarise(
      'm',
      1,
      steady((i) => [90, 70, 70, 70, 20, 10][i]!),
      0,
    );
    expect(tie.rankAgreement).toBeCloseTo(11 / 12);
    // Everything reversed: no pair agrees.
    expect(
      summarise(
        'm',
        1,
        steady((i) => i * 10),
        0,
      ).rankAgreement,
    ).toBe(0);
  });

  it('does not meet the goals when an evaluation failed', () => {
    const scores = steady((i) => 90 - i * 10);
    scores[CASES[0]!.id]!.james = [null];
    expect(summarise('m', 1, scores, 1)).toMatchObject({ failures: 1, meetsGoals: false });
  });
});

describe('npm run eval', () => {
  it('prints the figures and the goals with no model configured', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'eval/main.ts', '--runs', '1'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 60_000,
    });
    expect(stdout).toContain('using the scripted stand-in');
    expect(stdout).toMatch(/rank agreement with strong > average > weak: 100\.0%/);
    expect(stdout).toContain('goals: all met');
  });
});
