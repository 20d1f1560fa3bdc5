import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { checkDockerfileRules, parseStages } from './support/dockerfile-rules';
import { DEPLOY_ROOT, WORKSPACE_ROOT } from './support/render';

const DOCKERFILE = path.join(DEPLOY_ROOT, 'docker/Dockerfile');
const content = readFileSync(DOCKERFILE, 'utf8');

describe('deploy/docker/Dockerfile', () => {
  it('passes the dockerfile-utils linter with no diagnostic', () => {
    const diagnostics = validate(content).map(
      (d) =>
        `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
    );
    expect(diagnostics).toEqual([]);
  });

  it('passes Kontor’s image rules', () => {
    expect(checkDockerfileRules(content)).toEqual([]);
  });

  it('builds in one stage, installs production dependencies in another, runs from a third', () => {
    expect(parseStages(content).map((stage) => [stage.name, stage.base])).toEqual([
      ['build', 'node:20.20.2-bookworm-slim'],
      ['prod-deps', 'node:20.20.2-bookworm-slim'],
      ['runtime', 'node:20.20.2-bookworm-slim'],
    ]);
  });

  it('uses the Node major version the workspace runs on', () => {
    const [final] = parseStages(content).slice(-1);
    const major = process.versions.node.split('.')[0] ?? '';
    expect(final?.base).toMatch(new RegExp(`^node:${major}\\.`));
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const dockerignore = readFileSync(path.join(WORKSPACE_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(dockerignore[0]).toBe('*');
    const allowed = dockerignore
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1));
    const copied = parseStages(content)
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const source of copied) {
      expect({ source, exists: existsSync(path.join(WORKSPACE_ROOT, source)) }).toEqual({
        source,
        exists: true,
      });
      const admitted = allowed.some(
        (entry) => entry.replace(/\/$/, '') === source || source.startsWith(entry),
      );
      expect({ source, admitted }).toEqual({ source, admitted: true });
    }
    for (const kept of ['**/node_modules', '**/dist', '**/.env'])
      expect(dockerignore).toContain(kept);
  });
});

describe('image rules', () => {
  const good = content;

  it('lint: dockerfile-utils flags a misspelled instruction', () => {
    const diagnostics = validate(good.replace('WORKDIR /app', 'WORKDIRR /app'));
    expect(
      diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)),
    ).toEqual([expect.stringMatching(/WORKDIRR/)]);
  });

  it('reject an unpinned or latest base image', () => {
    const bad = good.replace(
      /FROM node:20\.20\.2-bookworm-slim AS runtime/,
      'FROM node:latest AS runtime',
    );
    expect(checkDockerfileRules(bad)).toEqual([expect.stringMatching(/FROM node:latest: pin/)]);
    const floating = good.replace(
      /FROM node:20\.20\.2-bookworm-slim AS build/,
      'FROM node:20 AS build',
    );
    expect(checkDockerfileRules(floating)).toEqual([expect.stringMatching(/FROM node:20: pin/)]);
  });

  it('reject a final stage without USER, running as root, or as a user name', () => {
    expect(checkDockerfileRules(good.replace(/^USER .*$/m, ''))).toEqual([
      'final stage: no USER (it would run as root)',
    ]);
    expect(checkDockerfileRules(good.replace(/^USER .*$/m, 'USER 0'))).toEqual([
      expect.stringMatching(/USER 0: use a numeric non-root uid/),
    ]);
    expect(checkDockerfileRules(good.replace(/^USER .*$/m, 'USER node'))).toEqual([
      expect.stringMatching(/USER node: use a numeric non-root uid/),
    ]);
  });

  it('reject a final stage without HEALTHCHECK', () => {
    const bad = good.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, '');
    expect(checkDockerfileRules(bad)).toEqual(['final stage: no HEALTHCHECK']);
  });

  it('reject production dependencies installed without holding npm to the lock', () => {
    const bad = good.replace(
      /\\\n && cmp package-lock\.json \/tmp\/package-lock\.json \\\n && npm cache clean --force/,
      '\\\n && npm cache clean --force',
    );
    expect(bad).not.toBe(good);
    expect(checkDockerfileRules(bad)).toEqual([
      expect.stringMatching(/no stage installs production dependencies from the lock/),
    ]);
  });

  it('reject sources copied into, or packages installed in, the final stage', () => {
    const bad = good.replace(
      'COPY deploy/docker/healthcheck.js deploy/docker/provision-db.js ./',
      'COPY services ./services\nRUN npm ci --omit=dev',
    );
    expect(checkDockerfileRules(bad)).toEqual([
      expect.stringMatching(/copies services from the build context/),
      expect.stringMatching(/the final stage installs packages/),
    ]);
  });
});
