// The offline voices (TTS_PROVIDER=local): flite for English, espeak-ng for every other language.
// flite's voices sound far more natural than espeak-ng's and pocketsphinx recognises their words
// far better; espeak-ng speaks a hundred languages, Arabic among them. The voice name picks the
// program: a flite voice (slt, rms…) or an espeak-ng voice (ar, en-us+klatt2…). Both write a 16-bit
// mono WAV to stdout.
import { type ChildProcess, spawn } from 'node:child_process';

/** The flite voices Debian's `flite` package builds in (`flite -lv`). */
export const FLITE_VOICES = ['slt', 'rms', 'awb', 'kal', 'kal16'] as const;

/** The default local voice: flite's US English female voice. */
export const DEFAULT_LOCAL_VOICE = 'slt';

/** The local voice of Arabic interviews: espeak-ng's Arabic (flite has no Arabic). */
export const ARABIC_LOCAL_VOICE = 'ar';

export interface LocalVoice {
  program: 'flite' | 'espeak-ng';
  /** The rate the program writes at (its WAV header says so too). */
  sampleRate: number;
}

export function localVoice(voice: string): LocalVoice {
  return (FLITE_VOICES as readonly string[]).includes(voice)
    ? { program: 'flite', sampleRate: 16_000 }
    : { program: 'espeak-ng', sampleRate: 22_050 };
}

/**
 * The command that speaks `text` with `voice` as a WAV on its stdout; text never reads as an option.
 * `program` replaces the binary's name (installs outside PATH).
 */
export function localVoiceCommand(
  voice: string,
  text: string,
  program: string = localVoice(voice).program,
): { command: string; args: string[] } {
  if (localVoice(voice).program === 'espeak-ng') {
    // 160 words a minute: the clearest pace of espeak-ng's for listeners and recognisers.
    return { command: program, args: ['-v', voice, '-s', '160', '--stdout', '--', text] };
  }
  // flite opens its output by name, and /dev/stdout cannot be opened on the socket Node gives a child
  // as stdout: a shell pipe in between gives it a real one. `-t` takes the next argument as the text
  // whatever it starts with; flite holds the whole utterance before writing, so its sizes are right.
  const script = 'set -o pipefail; "$0" "$@" | cat';
  return { command: 'bash', args: ['-c', script, program, '-voice', voice, '-o', '/dev/stdout', '-t', text] };
}

/** Starts the voice program; the child leads its own process group (`killLocalVoice`). */
export function spawnLocalVoice(voice: string, text: string, program?: string): ChildProcess {
  const { command, args } = localVoiceCommand(voice, text, program);
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** Kills the voice program and whatever it runs. */
export function killLocalVoice(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
