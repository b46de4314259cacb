// The allowed dependency graph (CONVENTIONS.md, "Dependencies between parts"), checked by
// `npm run lint`. Imports use explicit `.ts` extensions; type-only imports count too,
// because a boundary is about what code knows, not only what it loads at run time.
const MODULES = '^apps/server/src/modules/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Cycles make load order fragile and blur ownership; break them with an event or by moving code.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'module-only-through-index',
      severity: 'error',
      comment:
        "A module uses another module only through that module's index.ts, never its tables, repo, service or jobs.",
      from: { path: `${MODULES}([^/]+)/`, pathNot: '\\.(tables|test|factory)\\.ts$' },
      to: {
        path: `${MODULES}[^/]+/`,
        pathNot: [`${MODULES}$1/`, `${MODULES}[^/]+/index\\.ts$`],
      },
    },
    {
      name: 'tests-through-index-or-factory',
      severity: 'error',
      comment:
        'Tests and factories use another module through its index.ts, or build its rows with its *.factory.ts (test code stays out of index.ts).',
      from: { path: `${MODULES}([^/]+)/[^/]+\\.(test|factory)\\.ts$` },
      to: {
        path: `${MODULES}[^/]+/`,
        pathNot: [`${MODULES}$1/`, `${MODULES}[^/]+/index\\.ts$`, `${MODULES}[^/]+/[^/]+\\.factory\\.ts$`],
      },
    },
    {
      name: 'tables-only-to-tables',
      severity: 'error',
      comment:
        "A *.tables.ts file may reference another module's *.tables.ts (foreign keys in one database) or its index.ts, nothing else of it.",
      from: { path: `${MODULES}([^/]+)/[^/]+\\.tables\\.ts$` },
      to: {
        path: `${MODULES}[^/]+/`,
        pathNot: [`${MODULES}$1/`, `${MODULES}[^/]+/index\\.ts$`, `${MODULES}[^/]+/[^/]+\\.tables\\.ts$`],
      },
    },
    {
      name: 'platform-knows-no-business',
      severity: 'error',
      comment: 'platform/ holds no business rules, so it imports nothing from modules/ or workflows/.',
      from: { path: '^apps/server/src/platform/' },
      to: { path: '^apps/server/src/(modules|workflows)/' },
    },
    {
      name: 'modules-not-to-workflows',
      severity: 'error',
      comment: 'Workflows orchestrate modules; modules never call up into workflows/.',
      from: { path: MODULES },
      to: { path: '^apps/server/src/workflows/' },
    },
    {
      name: 'web-not-to-server',
      severity: 'error',
      comment: 'The web app talks to the server over HTTP; shared types come from packages/shared.',
      from: { path: '^apps/web/' },
      to: { path: '^apps/server/' },
    },
    {
      name: 'cloud-broker-standalone',
      severity: 'error',
      comment:
        "The cloud broker stands in for an outside system: Portico reaches it only over OSB HTTP, so it imports nothing of Portico's apps.",
      from: { path: '^apps/cloud-broker/' },
      to: { path: '^apps/(server|web)/' },
    },
    {
      name: 'server-reaches-broker-over-http',
      severity: 'error',
      comment:
        'The portal talks to brokers over HTTP only; tests (and the demo launcher) may start the simulated one.',
      from: { path: '^apps/server/src/', pathNot: ['\\.test\\.ts$', '^apps/server/src/main\\.ts$'] },
      to: { path: '^apps/cloud-broker/' },
    },
    {
      name: 'shared-not-to-apps',
      severity: 'error',
      comment: 'packages/shared is the contract both apps depend on; it depends on neither.',
      from: { path: '^packages/shared/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
