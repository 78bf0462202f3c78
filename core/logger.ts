// Structured logs (JSON lines). Personal data (phones, names, emails, answers) never goes into
// message text; the redact list is a second line of defence for fields passed by mistake.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'interviewer'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        '*.phone*',
        '*.email',
        '*.password',
        '*.token',
        '*.firstName',
        '*.lastName',
        '*.responseText',
        'phoneNumber',
        'email',
        'password',
        'token',
      ],
      censor: '[redacted]',
    },
  });
}
