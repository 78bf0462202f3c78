// The public facts about the interview, from whichever endpoint the page's address names. The two
// seeds spell them differently (camelCase for rooms, snake_case for links); the page sees one shape.
import { api } from '../shared/api.js';
import { infoPath, type Source } from './source.js';

export interface InterviewInfo {
  companyName: string;
  jobTitle: string;
  instructions: string;
  maxDurationS: number;
  status: string;
}

interface RoomInfo {
  companyName: string;
  jobTitle: string;
  instructions: string;
  maxDuration: number;
  status: string;
}

interface LinkInfo {
  company_name: string;
  job_title: string;
  instructions: string;
  max_duration: number;
  status: string;
}

export async function loadInfo(source: Source): Promise<InterviewInfo> {
  const { companyName, jobTitle, instructions, maxDuration, status } =
    source.kind === 'room' ? await api<RoomInfo>(infoPath(source)) : fromLink(await api<LinkInfo>(infoPath(source)));
  return { companyName, jobTitle, instructions, maxDurationS: maxDuration, status };
}

/** Seed 002's answer under seed 000's names. */
function fromLink(l: LinkInfo): RoomInfo {
  return {
    companyName: l.company_name,
    jobTitle: l.job_title,
    instructions: l.instructions,
    maxDuration: l.max_duration,
    status: l.status,
  };
}

const OPEN = ['SCHEDULED', 'READY', 'IN_PROGRESS'];
export const isOver = (status: string) => !OPEN.includes(status);
