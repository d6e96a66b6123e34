'use strict';
/**
 * `extract-next-steps` (private): what to do after `extract` wrote its files. `extract` schedules it as a
 * post task, so the CLI prints it after the list of created and updated files, and never in a dry run.
 */

/** The next steps for an extracted context, one line each. */
function nextStepsText(name) {
  return [
    '',
    `"${name}" is extracted. Next steps:`,
    '',
    '  1. Build the monolith and the new host:',
    '       npm run build',
    `  2. Start the ${name} host (health on :3001):`,
    `       HEALTH_PORT=3001 npm run start:extracted -- ${name}`,
    `  3. In another terminal, start the monolith calling ${name} over Redis:`,
    `       FICUS_REMOTE_CONTEXTS=${name} npm start`,
    '',
    '  Containers: docker compose -f docker/compose.yaml up --build',
    `              (service "${name}"; the monolith's FICUS_REMOTE_CONTEXTS in compose.yaml now lists it)`,
    '  Kubernetes: kubectl apply -f docker/k8s/   (see docker/k8s/README.md)',
    `  Module map: docs/modules.md shows where ${name} runs (npm run docs:modules; npm run extract does it)`,
    `  Then commit apps/extracted/${name}, nest-cli.json, docker/ and docs/modules.md.`,
  ].join('\n');
}

/** @param {{ name: string }} options */
function nextSteps(options) {
  return (tree, context) => {
    context.logger.info(nextStepsText(options.name));
    return tree;
  };
}

module.exports = { nextSteps, nextStepsText };
