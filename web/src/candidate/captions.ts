// Live captions from the agents framework's transcription streams (topic lk.transcription). Each
// utterance is a segment (attribute lk.segment_id) that may arrive as several streams:
// - the interviewer's speech is sent as deltas: text appends to the segment;
// - the candidate's speech (speech-to-text) is re-sent whole on every update: a new stream replaces it.
// Pure bookkeeping, so it can be tested without a room.
export type Side = 'agent' | 'candidate';

export interface Caption {
  id: string;
  side: Side;
  text: string;
  final: boolean;
}

export const TRANSCRIPTION_TOPIC = 'lk.transcription';
export const SEGMENT_ATTR = 'lk.segment_id';
export const FINAL_ATTR = 'lk.transcription_final';

export class CaptionBook {
  readonly #captions = new Map<string, Caption>();

  /** How many captions to keep: older ones leave the page (the full transcript is HR's). */
  constructor(private readonly limit = 200) {}

  /** A stream starts for `segmentId`. Returns the caption and the ids that fell off the end. */
  open(segmentId: string, side: Side, final: boolean): { caption: Caption; evicted: string[] } {
    let caption = this.#captions.get(segmentId);
    if (!caption) {
      caption = { id: segmentId, side, text: '', final };
      this.#captions.set(segmentId, caption);
    } else {
      if (side === 'candidate') caption.text = '';
      caption.final ||= final;
    }
    const evicted: string[] = [];
    for (const id of this.#captions.keys()) {
      if (this.#captions.size <= this.limit) break;
      this.#captions.delete(id);
      evicted.push(id);
    }
    return { caption, evicted };
  }

  append(segmentId: string, delta: string): Caption | undefined {
    const caption = this.#captions.get(segmentId);
    if (caption) caption.text += delta;
    return caption;
  }

  all(): Caption[] {
    return [...this.#captions.values()];
  }
}
