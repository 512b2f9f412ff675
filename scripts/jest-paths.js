// Maps tsconfig.json "paths" (@kraken/*) to jest moduleNameMapper entries, so aliases live in one place.
const { compilerOptions } = require('../tsconfig.json');

exports.pathsToModuleNameMapper = () =>
  Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
  );
