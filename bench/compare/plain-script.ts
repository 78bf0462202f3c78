// What the plain agent of `compare` is told and what the scripted LLM answers it: its instructions
// (the marker the bench's LLM recognises it by) and replies shaped like the scripted interviewer's
// (testkit's voiceInterviewerScript as agent-latency drives it: two follow-ups, then the next
// question), so that both agents speak the same texts and their TTS and playback compare.
import type { ChatRequest, Handler } from '../../testkit/fake-llm.js';

export const PLAIN_INSTRUCTIONS =
  'You are a friendly job interviewer talking with a candidate by voice. Greet them, then ask one short question at a time.';

/** The worker log line the plain agent writes per reply (plain-agent.ts), which the bench reads. */
export const REPLY_LINE = 'plain agent reply';

/** The follow-up ours says after a short answer, while its budget allows. */
export const FOLLOW_UP = 'Could you give me a concrete example?';
export const TOPICS = ['your background', 'a system you designed', 'how you test your code', 'a hard bug', 'your next step'];
const ROLE = 'Senior Backend Developer - Fintech';

/** Reply n (0: the greeting, then 1, 2… after each candidate turn), every third one a new question. */
export function plainReply(n: number, followUps: number): string {
  if (n === 0) {
    return `Hello Ahmed, and welcome to your interview for ${ROLE} at MENA Bank. Let's begin. For the ${ROLE} role, tell me about ${TOPICS[0]}.`;
  }
  const perQuestion = followUps + 1;
  if (n % perQuestion !== 0) return FOLLOW_UP;
  return `Thank you. For the ${ROLE} role, tell me about ${TOPICS[(n / perQuestion) % TOPICS.length]}.`;
}

export const isPlain = (req: ChatRequest) => req.messages.some((m) => m.role === 'system' && m.content?.includes(PLAIN_INSTRUCTIONS));

/** The scripted LLM's answers to the plain agent: the reply number is the count of user turns so far. */
export function plainScript(followUps: number): Handler {
  return (req) => ({ content: plainReply(req.messages.filter((m) => m.role === 'user').length, followUps) });
}
