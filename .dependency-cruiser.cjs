// Import boundaries of the functional core / imperative shell (DESIGN "Shape", example 1).
// Run: npm run boundaries  (depcruise src --config .dependency-cruiser.cjs)

/** Node builtins that do I/O; matched with or without `node:` and with subpaths (fs/promises). */
const IO_BUILTINS = '^(node:)?(fs|net|http|https|http2|child_process)(/|$)';
/** The database and HTTP stacks, as resolved paths under node_modules. */
const SHELL_PACKAGES =
  '(^|/)node_modules/(pg|pg-[^/]+|kysely|@electric-sql/pglite|fastify|fastify-[^/]+|@fastify/[^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'src/domain is the functional core: no app, store, http, cli, composition root or clock. ' +
        'It may import only src/domain itself (DESIGN "Shape": nothing in domain/ imports from the other folders).',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-no-io-builtins',
      severity: 'error',
      comment: 'src/domain does no I/O: no fs, net, http, child_process.',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'domain-no-db-or-http-packages',
      severity: 'error',
      comment: 'src/domain knows no database or HTTP library (pg, kysely, PGlite, fastify).',
      from: { path: '^src/domain/' },
      to: { path: SHELL_PACKAGES },
    },
    {
      name: 'http-not-to-store',
      severity: 'error',
      comment: 'src/http reaches the store only through src/app (DESIGN "Shape").',
      from: { path: '^src/http/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'store-not-to-app-or-http',
      severity: 'error',
      comment: 'src/store is below src/app and src/http; it may not import them.',
      from: { path: '^src/store/' },
      to: { path: '^src/(app|http)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles inside src.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` too: a type-only import across a boundary is still coupling.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // NodeNext sources import './x.js' for './x.ts': dependency-cruiser resolves that itself
    // (a '.js' that does not exist is tried as .ts/.tsx/.d.ts); its schema has no extensionAlias.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
