// The deployment files, parsed (no Docker engine runs here): docker-compose.yml can scale its
// workers, gives each process only variables its config knows and every secret it needs in
// production (never a default), and its LiveKit config, like deploy/livekit-cluster.yaml, forms a
// Redis cluster, signs webhooks with the key the processes use and sends them to the API's route.
// What this cannot check without Docker: that the images build and the containers start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_SECRETS, API_VARS } from '../../core/config/api.js';
import { SERVICE_VARS } from '../../core/config/env.js';
import { WORKER_SECRETS, WORKER_VARS } from '../../core/config/worker.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: string[];
  command?: string[];
  environment?: Record<string, string>;
  configs?: { source: string; target: string }[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const services = compose.services;
/** ${NAME:?message} or ${NAME:-default} or ${NAME}: the variable compose reads from .env. */
const fromEnv = (value: string) => /^\$\{([A-Z_]+)(:[?-][^}]*)?\}$/.exec(value);

describe('docker-compose.yml', () => {
  it('has the product’s services, each with an image or a build', () => {
    expect(Object.keys(services).sort()).toEqual(['agent', 'api', 'livekit', 'postgres', 'redis']);
    for (const [name, s] of Object.entries(services)) expect(s.image ?? s.build, name).toBeTruthy();
    expect(services.api!.build).toBe('.');
    expect(services.agent!.build).toBe('.');
    expect(services.agent!.command).toEqual(['npm', 'run', 'agent']);
  });

  it('can scale the workers: no container name, no published port', () => {
    expect(services.agent!.container_name).toBeUndefined();
    expect(services.agent!.ports).toBeUndefined();
  });

  it.each([
    ['api', { ...SERVICE_VARS, ...API_VARS }, API_SECRETS],
    ['agent', { ...SERVICE_VARS, ...WORKER_VARS }, WORKER_SECRETS],
  ] as const)('%s: production, only variables its config reads, every production secret from .env and required', (name, known, secrets) => {
    const env = services[name]!.environment!;
    expect(env.NODE_ENV).toBe('production');
    expect(Object.keys(env).filter((k) => !(k in known))).toEqual([]);
    for (const secret of secrets) {
      const m = fromEnv(env[secret] ?? '');
      expect(m?.[1], `${name}: ${secret} comes from .env`).toBe(secret);
      expect(m?.[2]?.startsWith(':?'), `${name}: ${secret} is required (\${${secret}:?…})`).toBe(true);
    }
  });

  it('the worker holds no API secret', () => {
    const env = services.agent!.environment!;
    for (const secret of API_SECRETS.filter((s) => !(WORKER_SECRETS as readonly string[]).includes(s)))
      expect(env[secret], secret).toBeUndefined();
  });

  it('.env.example names every variable the file reads', () => {
    const example = new Set(
      read('.env.example')
        .split('\n')
        .flatMap((l) => (/^([A-Z_]+)=/.exec(l)?.[1] ? [/^([A-Z_]+)=/.exec(l)![1]!] : [])),
    );
    const used = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
    expect([...used].filter((v) => !example.has(v))).toEqual([]);
  });
});

describe.each([
  ['docker-compose.yml (its livekit config)', () => compose.configs[services.livekit!.configs![0]!.source]!.content],
  ['deploy/livekit-cluster.yaml', () => read('deploy/livekit-cluster.yaml')],
])('%s', (_name, text) => {
  const config = () =>
    parse(text()) as {
      keys: Record<string, string>;
      redis?: { address?: string };
      webhook: { api_key: string; urls: string[] };
      rtc: { udp_port: number; tcp_port: number };
    };

  it('forms a cluster through Redis', () => {
    expect(config().redis?.address).toMatch(/:6379$/);
  });

  it('signs webhooks with its one key, the LIVEKIT_API_KEY of the processes, and sends them to the API’s webhook route', () => {
    const c = config();
    expect(Object.keys(c.keys)).toHaveLength(1);
    expect(c.webhook.api_key).toBe(Object.keys(c.keys)[0]);
    expect(c.webhook.api_key).toMatch(/LIVEKIT_API_KEY/);
    expect(c.webhook.urls).toHaveLength(1);
    expect(new URL(c.webhook.urls[0]!).pathname).toBe('/api/livekit/webhook');
    // The path npm start's livekit.yaml uses, which the webhook tests run against the real API.
    expect(new URL((parse(read('livekit.yaml')) as { webhook: { urls: string[] } }).webhook.urls[0]!).pathname).toBe(
      '/api/livekit/webhook',
    );
  });

  it('uses the media ports the compose file publishes', () => {
    const c = config();
    expect(services.livekit!.ports).toEqual(
      expect.arrayContaining([`${c.rtc.udp_port}:${c.rtc.udp_port}/udp`, `${c.rtc.tcp_port}:${c.rtc.tcp_port}`]),
    );
  });
});

describe('Dockerfile', () => {
  it('installs the offline voices and recogniser the default config uses', () => {
    expect(read('Dockerfile')).toMatch(/apt-get install[^\n]* flite espeak-ng pocketsphinx pocketsphinx-en-us/);
  });
});
