// `npm run build:web`: bundles the candidate page and the HR console with esbuild into web/dist/
// (git-ignored). Assets get content-hashed names, so the API can cache them forever and serve the
// HTML uncached. Both pages are one shell (src/shell.html) with their title and their <link>/<script>
// tags filled in (no inline script).
import { build, type Metafile } from 'esbuild';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(WEB, 'dist');
const TITLES = { candidate: 'AI interview', hr: 'HR console' } as const;
const PAGES = Object.keys(TITLES) as (keyof typeof TITLES)[];

/** Builds into a fresh folder beside `outDir` and swaps it in, so a running API never serves half a build. */
export async function buildWeb(outDir: string = DEFAULT_OUT_DIR): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    const result = await build({
      entryPoints: Object.fromEntries(PAGES.map((p) => [p, path.join(WEB, 'src', p, 'main.ts')])),
      outdir: path.join(staging, 'assets'),
      bundle: true,
      format: 'esm',
      // The interview part (livekit-client) loads only when the candidate joins.
      splitting: true,
      entryNames: '[name]-[hash]',
      chunkNames: 'chunk-[hash]',
      target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
      minify: true,
      sourcemap: 'linked',
      metafile: true,
      legalComments: 'linked',
      logLevel: 'warning',
    });
    const shell = await readFile(path.join(WEB, 'src', 'shell.html'), 'utf8');
    for (const marker of ['<!-- title -->', '<!-- assets -->']) {
      if (!shell.includes(marker)) throw new Error(`web/src/shell.html has no ${marker} marker`);
    }
    for (const page of PAGES) {
      const { js, css } = entryOutputs(result.metafile, page);
      const tags = [
        css ? `<link rel="stylesheet" href="/assets/${path.basename(css)}">` : '',
        `<script type="module" src="/assets/${path.basename(js)}"></script>`,
      ].join('\n    ');
      await writeFile(path.join(staging, `${page}.html`), shell.replace('<!-- title -->', TITLES[page]).replace('<!-- assets -->', tags));
    }
    const old = `${outDir}.old-${process.pid}-${Date.now()}`;
    await rename(outDir, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(staging, outDir);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

function entryOutputs(metafile: Metafile, page: string) {
  const entry = path
    .relative(process.cwd(), path.join(WEB, 'src', page, 'main.ts'))
    .split(path.sep)
    .join('/');
  for (const [file, out] of Object.entries(metafile.outputs)) {
    if (out.entryPoint === entry) return { js: file, css: out.cssBundle };
  }
  throw new Error(`esbuild produced no output for ${entry}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT_DIR);
  process.stdout.write(`web: built into ${path.relative(process.cwd(), process.argv[2] ?? DEFAULT_OUT_DIR) || '.'}\n`);
}
