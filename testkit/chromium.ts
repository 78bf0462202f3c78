// How tests and the trial launch Debian's Chromium. As this machine's notes prescribe: no sandbox
// as root, no GPU, and none of Chromium's own background traffic (the network is closed; those
// connections only fail, many at a time).
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's own fake microphone (and camera), playing `wav`, with the permission prompt answered yes. */
export const fakeMicrophoneFlags = (wav: string) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${wav}`,
];
