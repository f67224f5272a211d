// Fails the test run unless it runs on Node.js 24, the Lambda runtime (nodejs24.x).
// npm scripts find the `node@24` devDependency first on their PATH; without its install script
// (allowScripts in package.json) they would quietly fall back to the system Node.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(`Node.js 24 is required (the Lambda runtime); this is ${process.version}. Run through npm scripts after \`npm ci\`.`);
  process.exit(1);
}
