// Kontor's own rules for its Dockerfile, on top of dockerfile-utils' lint: what a production image
// must be (pinned bases, a non-root final user, a health check, no sources or build tools).

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped), grouped into build stages. */
export function parseStages(content: string): Stage[] {
  const stages: Stage[] = [];
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const start = index + 1;
    let text = lines[index] ?? '';
    if (/^\s*(#|$)/.test(text)) continue;
    while (/\\\s*$/.test(text) && index + 1 < lines.length) {
      index += 1;
      const next = lines[index] ?? '';
      if (/^\s*#/.test(next)) continue;
      text = `${text.replace(/\\\s*$/, '')} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(text);
    if (!match?.[1]) continue;
    const instruction = {
      keyword: match[1].toUpperCase(),
      args: (match[2] ?? '').trim(),
      line: start,
    };
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args.replace(/--\S+\s+/g, '').split(/\s+/);
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, base, instructions: [] });
    }
    stages.at(-1)?.instructions.push(instruction);
  }

  return stages;
}

// An exact release, e.g. node:20.20.2-bookworm-slim (major.minor.patch, optional variant).
const EXACT_TAG = /^[a-z0-9./_-]+:\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?(?:@sha256:[0-9a-f]{64})?$/;

/** Every broken rule, with the line it is on. An empty list means the Dockerfile passes. */
export function checkDockerfileRules(content: string): string[] {
  const problems: string[] = [];
  const stages = parseStages(content);
  const final = stages.at(-1);
  if (!final) return ['no FROM instruction'];
  const stageNames = new Set(stages.map((stage) => stage.name).filter(Boolean));
  for (const stage of stages) {
    if (stageNames.has(stage.base)) continue;
    if (stage.base.includes(':latest') || !EXACT_TAG.test(stage.base)) {
      problems.push(`FROM ${stage.base}: pin the base image to an exact version tag (not latest)`);
    }
  }
  if (stages.length < 2)
    problems.push('use a multi-stage build: build tools stay out of the final stage');

  const finalOf = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);
  const user = finalOf('USER').at(-1);
  const uid = user?.args.split(':')[0] ?? '';
  if (!user) problems.push('final stage: no USER (it would run as root)');
  else if (!/^\d+$/.test(uid) || uid === '0') {
    problems.push(
      `line ${user.line}: USER ${user.args}: use a numeric non-root uid (runAsNonRoot verifies numbers)`,
    );
  }
  const healthcheck = finalOf('HEALTHCHECK').at(-1);
  if (!healthcheck || /^NONE\b/i.test(healthcheck.args))
    problems.push('final stage: no HEALTHCHECK');
  for (const copy of [...finalOf('COPY'), ...finalOf('ADD')]) {
    const fromStage = /--from=\S+/.test(copy.args);
    const sources = copy.args.replace(/--\S+/g, '').trim().split(/\s+/).slice(0, -1);
    const fromContext = sources.filter((source) => !source.startsWith('deploy/docker/'));
    if (!fromStage && fromContext.length > 0) {
      problems.push(
        `line ${copy.line}: the final stage copies ${fromContext.join(' ')} from the build context (sources stay in the build stage)`,
      );
    }
  }
  for (const run of finalOf('RUN')) {
    if (/\b(npm (ci|install|i)\b|yarn (install|add)|apt-get install|apk add)/.test(run.args)) {
      problems.push(
        `line ${run.line}: the final stage installs packages (install in an earlier stage and copy the result)`,
      );
    }
  }
  // Production dependencies from the lock: `npm ci --omit=dev`, or `npm install --omit=dev` with
  // a check that the lock came out unchanged (this lock needs the latter, see the Dockerfile).
  const prodInstall = stages.some((stage) =>
    stage.instructions.some(
      (i) =>
        i.keyword === 'RUN' &&
        (/npm ci\b[^&]*--omit=dev/.test(i.args) ||
          (/npm install\b[^&]*--omit=dev/.test(i.args) &&
            /\bcmp package-lock\.json\b/.test(i.args))),
    ),
  );
  if (!prodInstall) {
    problems.push(
      'no stage installs production dependencies from the lock (npm ci --omit=dev, or npm install --omit=dev + lock unchanged)',
    );
  }
  if (finalOf('ENTRYPOINT').length + finalOf('CMD').length === 0) {
    problems.push('final stage: no ENTRYPOINT or CMD');
  }

  return problems;
}
