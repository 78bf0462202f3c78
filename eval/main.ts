// npm run eval [-- --runs N] [-- --scripted]: the consistency and fairness harness against the
// configured model (LLM_BASE_URL / LLM_API_KEY / LLM_MODEL, as the product reads them), or
// against the scripted stand-in when none is configured or --scripted is given.
import { parseArgs } from 'node:util';
import { configOrExit, loadEvalConfig } from '../core/config.js';
import { createLlm } from '../core/llm.js';
import { formatReport, runHarness } from './harness.js';
import { startScriptedModel } from './scripted-model.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    scripted: { type: 'boolean', default: false },
    noise: { type: 'string', default: '0' },
    'bias-against-women': { type: 'string', default: '0' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error('--runs must be a whole number from 1 to 100');

const config = configOrExit(loadEvalConfig);
const scripted =
  values.scripted || !config.llm
    ? await startScriptedModel({ noise: Number(values.noise), biasAgainstWomen: Number(values['bias-against-women']) })
    : null;
const llmConfig = scripted ? { baseUrl: scripted.baseUrl, apiKey: 'none', model: 'scripted' } : config.llm!;
console.log(
  scripted
    ? 'eval: no model configured (or --scripted): using the scripted stand-in'
    : `eval: model ${llmConfig.model} at ${llmConfig.baseUrl}`,
);
try {
  const report = await runHarness(createLlm(llmConfig), runs, (done, total) => {
    if (done % 10 === 0 || done === total) process.stderr.write(`\r${done}/${total} evaluations`);
  });
  process.stderr.write('\n');
  console.log(formatReport(report));
} finally {
  await scripted?.close();
}
