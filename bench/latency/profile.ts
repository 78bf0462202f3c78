// BENCH_CPU_PROF=1: self time of the job processes' V8 profiles (written when they exit), by code
// area: ours (agent/, agent/speech/, core/ db/ prompts/), Silero/onnxruntime, rtc-node, the agents
// framework, GC… and the functions of ours that took the most.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../testkit/stack.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

function codeArea(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'native (program)';
  const root = `file://${REPO_ROOT}/`;
  if (url.startsWith(`${root}agent/speech/`)) return 'ours: agent/speech/';
  if (url.startsWith(`${root}agent/`)) return 'ours: agent/';
  if (url.startsWith(root) && !url.includes('/node_modules/') && /^(core|db|prompts|api)\//.test(url.slice(root.length)))
    return 'ours: core/ db/ prompts/';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg === '@livekit/agents-plugin-silero' || pkg === 'onnxruntime-node' || pkg === 'onnxruntime-common')
    return 'Silero VAD (+ onnxruntime)';
  if (pkg === '@livekit/agents') return '@livekit/agents (framework)';
  if (pkg?.startsWith('@livekit/rtc-node') || pkg === '@bufbuild/protobuf') return '@livekit/rtc-node (+ protobuf FFI)';
  if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig') return 'tsx (loading TypeScript)';
  if (pkg) return `${pkg}`;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

export function summariseProfiles(
  profDir: string,
  pids: Set<number>,
): { files: number; totalMs: number; areas: { area: string; ms: number; pct: number }[]; topOurs: { fn: string; ms: number }[] } | null {
  let files: string[];
  try {
    files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return null;
  }
  const areas = new Map<string, number>();
  const ours = new Map<string, number>();
  let used = 0;
  for (const file of files) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    if (!pids.has(pid)) continue;
    const prof = JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile;
    used++;
    const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
    prof.samples.forEach((id, i) => {
      const cf = byId.get(id);
      const us = prof.timeDeltas[i + 1] ?? 0;
      if (!cf) return;
      const area = codeArea(cf.url, cf.functionName);
      areas.set(area, (areas.get(area) ?? 0) + us / 1000);
      if (area.startsWith('ours')) {
        const key = `${cf.functionName || '(anonymous)'} ${cf.url.replace(`file://${REPO_ROOT}/`, '')}`;
        ours.set(key, (ours.get(key) ?? 0) + us / 1000);
      }
    });
  }
  if (used === 0) return null;
  const busy = [...areas].filter(([a]) => a !== 'idle').reduce((s, [, ms]) => s + ms, 0);
  return {
    files: used,
    totalMs: busy,
    areas: [...areas]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, ms: Math.round(ms), pct: (ms / busy) * 100 })),
    topOurs: [...ours]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
  };
}
