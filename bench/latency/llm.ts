// The scripted LLM of agent-latency (testkit's productScript), with the injected delay run and
// measured here: what was served is what the bench subtracts as the LLM's time.
import { productScript, type ChatRequest, type Handler } from '../../testkit/fake-llm.js';
import { sleep } from '../../testkit/stack.js';
import { QUESTIONS, settings } from './settings.js';

export interface Completion {
  kind: 'plan' | 'interviewer' | 'evaluation';
  /** The request reached the handler (body read). Epoch ms. */
  at: number;
  /** The delay was over; the first chunk is written right after. Epoch ms. */
  servedAt: number;
  serverMs: number;
}
export const completions: Completion[] = [];

/** `script` answers (default: the product's, with its 5 questions); the delay and the record are added here. */
export function benchLlm(script: Handler = productScript(QUESTIONS)) {
  return async (req: ChatRequest) => {
    const at = Date.now();
    const sys = req.messages.find((m) => m.role === 'system')?.content ?? '';
    const kind: Completion['kind'] = sys.includes('You plan job interviews')
      ? 'plan'
      : sys.includes('You assess a job interview')
        ? 'evaluation'
        : 'interviewer';
    const reply = await script(req);
    // The delay runs here rather than through Reply.delayMs, so that what was served is measured
    // (a late timer on a busy machine counts as the LLM's time, not ours).
    if (settings.llmDelayMs > 0) await sleep(settings.llmDelayMs);
    const servedAt = Date.now();
    completions.push({ kind, at, servedAt, serverMs: servedAt - at });
    return reply;
  };
}

/** The API's and worker's environment for the media benches: offline speech, this scripted LLM. */
export function scriptedAgentEnv(llmBaseUrl: string, followUps: number): Record<string, string> {
  return {
    STT_PROVIDER: 'local',
    TTS_PROVIDER: 'local',
    LLM_BASE_URL: llmBaseUrl,
    LLM_API_KEY: 'bench',
    LLM_MODEL: 'scripted',
    AGENT_MAX_FOLLOW_UPS: String(followUps),
  };
}
