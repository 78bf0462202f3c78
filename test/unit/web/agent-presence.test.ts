// What the interviewer line says while no interviewer is in the room, on a fake clock: the first
// wait and the escalation, an interviewer lost mid-interview, a handover between two agents, and
// the candidate's own reconnect (not told as the interviewer's fault).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentPresence, absenceAfter, nextChangeIn, type Absence } from '../../../web/src/candidate/agent-presence.js';

describe('absenceAfter', () => {
  it('starts with the cause, says slow from 8 s, and late from 30 s, by cause', () => {
    expect([0, 7_999, 8_000, 29_999, 30_000, 600_000].map((ms) => absenceAfter('joining', ms))).toEqual([
      'joining',
      'joining',
      'slow',
      'slow',
      'late',
      'late',
    ]);
    expect([0, 7_999, 8_000, 29_999, 30_000].map((ms) => absenceAfter('lost', ms))).toEqual(['lost', 'lost', 'slow', 'slow', 'late-lost']);
  });

  it('knows when the next step comes, and that there is none after the last', () => {
    expect(nextChangeIn(0)).toBe(8_000);
    expect(nextChangeIn(8_000)).toBe(22_000);
    expect(nextChangeIn(29_999)).toBe(1);
    expect(nextChangeIn(30_000)).toBeUndefined();
  });
});

describe('AgentPresence', () => {
  let shown: (Absence | null)[];
  let presence: AgentPresence;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    shown = [];
    presence = new AgentPresence((a) => shown.push(a));
  });
  afterEach(() => {
    presence.stop();
    vi.useRealTimers();
  });

  it('waits for the first interviewer: connecting, still trying after 8 s, late after 30 s, then nothing more', () => {
    presence.offline(); // the room is connecting
    vi.advanceTimersByTime(60_000); // the escalation only counts once the candidate is in the room
    expect(shown).toEqual(['joining']);
    presence.online([]);
    vi.advanceTimersByTime(7_999);
    expect(shown).toEqual(['joining']);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual(['joining', 'slow']);
    vi.advanceTimersByTime(22_000);
    expect(shown).toEqual(['joining', 'slow', 'late']);
    expect(presence.current).toBe('late');
    vi.advanceTimersByTime(10 * 60_000);
    expect(shown).toEqual(['joining', 'slow', 'late']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands over to the interviewer as soon as it joins, at any step', () => {
    presence.online([]);
    vi.advanceTimersByTime(12_000);
    presence.agentJoined('agent-AJ_1');
    expect(shown).toEqual(['joining', 'slow', null]);
    expect(vi.getTimerCount()).toBe(0);

    const late = new AgentPresence((a) => shown.push(a));
    shown = [];
    late.online([]);
    vi.advanceTimersByTime(45_000);
    late.agentJoined('agent-AJ_2');
    expect(shown).toEqual(['joining', 'slow', 'late', null]);
    late.stop();
  });

  it('shows nothing of its own when the interviewer is already in the room at the join', () => {
    presence.online(['agent-AJ_1']);
    expect(shown).toEqual([null]);
    expect(presence.current).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not restart the wait when told again that the room is connected', () => {
    presence.online([]); // the Connected event
    vi.advanceTimersByTime(5_000);
    presence.online([]); // and once room.connect() resolved
    vi.advanceTimersByTime(3_000);
    expect(shown).toEqual(['joining', 'slow']);
  });

  it('says the interviewer was lost mid-interview, escalates the same way, and recovers when a new one joins', () => {
    presence.online(['agent-AJ_1']);
    vi.advanceTimersByTime(120_000);
    presence.agentLeft('agent-AJ_1');
    expect(presence.current).toBe('lost');
    vi.advanceTimersByTime(8_000);
    vi.advanceTimersByTime(22_000);
    expect(shown).toEqual([null, 'lost', 'slow', 'late-lost']);
    presence.agentJoined('agent-AJ_2');
    expect(shown.at(-1)).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stays with the interviewer while another agent is still in the room (a handover, a late duplicate leaving)', () => {
    presence.online(['agent-AJ_1']);
    presence.agentJoined('agent-AJ_2');
    presence.agentLeft('agent-AJ_2');
    presence.agentLeft('agent-AJ_3'); // never seen
    expect(shown).toEqual([null]);
    presence.agentLeft('agent-AJ_1');
    expect(shown).toEqual([null, 'lost']);
  });

  it('does not blame the interviewer for the candidate’s own reconnect, and starts the wait over after it', () => {
    presence.online(['agent-AJ_1']);
    // A resume keeps the participants: the interviewer is still there.
    presence.offline();
    expect(presence.current).toBeNull();
    // A full reconnect removes them; while the candidate is offline nothing escalates.
    presence.agentLeft('agent-AJ_1');
    vi.advanceTimersByTime(60_000);
    expect(shown).toEqual([null, 'joining']);
    // Back online without the interviewer: a fresh "connecting" wait, not "lost".
    presence.online([]);
    vi.advanceTimersByTime(8_000);
    expect(shown).toEqual([null, 'joining', 'slow']);
    // Back with it (participants come with the rejoin).
    presence.offline();
    presence.online(['agent-AJ_1']);
    expect(shown.at(-1)).toBeNull();
  });

  it('restarts a wait interrupted by the candidate’s reconnect', () => {
    presence.online([]);
    vi.advanceTimersByTime(10_000);
    presence.offline();
    vi.advanceTimersByTime(2_000);
    presence.online([]);
    vi.advanceTimersByTime(7_999);
    expect(shown).toEqual(['joining', 'slow', 'joining']);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual(['joining', 'slow', 'joining', 'slow']);
  });

  it('says it once per change (a screen reader reads each change of a status line)', () => {
    presence.online([]);
    presence.offline();
    presence.online([]);
    presence.agentLeft('nobody');
    expect(shown).toEqual(['joining']);
  });

  it('goes quiet when stopped', () => {
    presence.online([]);
    presence.stop();
    vi.advanceTimersByTime(60_000);
    presence.agentJoined('agent-AJ_1');
    expect(shown).toEqual(['joining']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
