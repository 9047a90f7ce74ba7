/**
 * The layers of DESIGN.md §5, held by dependency-cruiser (`npm run lint:boundaries`, part of `npm test`;
 * test/boundaries.test.ts shows it refusing a forbidden import). Paths are relative to the project root.
 */

/** The domain modules workflow code may use: small, deterministic, importing no package at all. */
const WORKFLOW_SAFE_DOMAIN = '^domain/(lists|limits|policy|vn-time|timeliness|deadlines|directive|events|failures|confidential|horizon|directory)\\.ts$';
/** The deadline engine's modules the workflow bundle includes: types, timers, the recorder's sequencing. */
const WORKFLOW_SAFE_ENGINE = '^engine/(types|timers|recorder)\\.ts$';
/** api/ files that are not route modules: the app, its plumbing, and the schema modules routes share. */
const API_PLUMBING = ['^api/(app|openapi|problem|failures|auth|context|ops|client)\\.ts$', '(^|/)schemas\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure rules shared by every side; of the project it imports only the deadline engine it builds on.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^(workflows|activities|services|temporal|api|web|http|worker|db|scripts|test)/|^config\\.ts$' },
    },
    {
      name: 'engine-knows-no-kind',
      comment: 'engine/ is the deadline engine any tracked kind uses: it reads Vietnamese time and the directory rule, nothing of a kind.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^(workflows|activities|services|temporal|api|web|http|worker|db|scripts|test)/|^config\\.ts$|^domain/(?!(vn-time|directory)\\.ts$)' },
    },
    {
      name: 'workflow-safe-engine-imports-nothing',
      comment: 'The engine modules the workflow bundle includes must stay free of packages.',
      severity: 'error',
      from: { path: WORKFLOW_SAFE_ENGINE },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'] },
    },
    {
      name: 'workflows-use-only-safe-engine-parts',
      comment: 'Placing offsets on the calendar (engine/place.ts) is the planner\'s: workflows plan through activities.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^engine/', pathNot: WORKFLOW_SAFE_ENGINE },
    },
    {
      name: 'workflow-safe-domain-imports-nothing',
      comment: 'The domain modules the workflow bundle includes must stay free of packages (no date-holidays, no I/O).',
      severity: 'error',
      from: { path: WORKFLOW_SAFE_DOMAIN },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'] },
    },
    {
      name: 'workflows-use-only-small-domain-rules',
      comment: 'Calendar math (date-holidays) and the parser stay out of the workflow sandbox: workflows plan through the planSchedule activity.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^domain/', pathNot: WORKFLOW_SAFE_DOMAIN },
    },
    {
      name: 'workflows-are-deterministic',
      comment: 'Workflow code runs in a deterministic sandbox: no Node built-ins, no packages but the Temporal workflow API.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'],
        pathNot: '(^|/)node_modules/@temporalio/(workflow|common)/',
      },
    },
    {
      name: 'workflows-do-no-io',
      comment: 'Workflow code reaches the database, the services and the doors only through activities.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(db|services|temporal|api|web|http|worker|scripts)/|^config\\.ts$' },
    },
    {
      name: 'workflows-use-only-activity-types',
      comment: 'proxyActivities needs the activities\' types, never their code.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-stay-below-services',
      comment: 'Activities are side effects the worker runs; the application layer and the doors sit above them.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^(services|temporal|api|web|http|worker|scripts)/' },
    },
    {
      name: 'activities-use-only-workflow-types',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^workflows/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-imports-only-domain',
      comment: 'The schema and its queries know the domain\'s lists and types, nothing above.',
      severity: 'error',
      from: { path: '^db/', pathNot: '^db/migrate\\.ts$' },
      to: { path: '^(engine|workflows|activities|services|temporal|api|web|http|worker|scripts)/' },
    },
    {
      name: 'db-is-handed-its-configuration',
      comment: 'db/ (the read model, the blob store) is given its settings by whoever opens it: it may name their types, never read them.',
      severity: 'error',
      from: { path: '^db/', pathNot: '^db/migrate\\.ts$' },
      to: { path: '^config\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-below-the-doors',
      comment: 'The application layer is what the API and the web call; it never calls them, nor runs activities itself.',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^(api|web|http|activities|worker|scripts)/' },
    },
    {
      name: 'api-only-through-services',
      comment: 'Route modules validate, authorize and call the application layer: never activities, the database or workflows directly.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^(activities|db|workflows|temporal|worker|scripts)/' },
    },
    {
      name: 'the-doors-are-siblings',
      comment: 'The HTTP host (http/app.ts) mounts the JSON API and the pages side by side; neither door reaches into the other.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^web/' },
    },
    {
      name: 'only-the-host-builds-the-app',
      comment: 'http/ is the top: the doors use only its shared edge (client address, downloads); the entries and tests build the app.',
      severity: 'error',
      from: { pathNot: '^(http|test|scripts)/' },
      to: { path: '^http/(?!shared/)' },
    },
    {
      name: 'the-shared-edge-sits-under-the-doors',
      comment: 'http/shared/ is what both doors need of HTTP: it knows the services\' types and the domain, not the doors.',
      severity: 'error',
      from: { path: '^http/shared/' },
      to: { path: '^(api|web|activities|workflows|temporal|worker|db|scripts)/|^http/(?!shared/)' },
    },
    {
      name: 'the-temporal-client-knows-only-workflow-contracts',
      comment: 'temporal/ starts workflows and sends them messages for the services and the worker: it knows the workflows\' names and types, nothing above.',
      severity: 'error',
      from: { path: '^temporal/' },
      to: { path: '^(services|api|web|http|activities|worker|db|scripts)/|^config\\.ts$' },
    },
    {
      name: 'web-only-through-services',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(activities|db|workflows|temporal|worker|api|scripts)/' },
    },
    {
      name: 'no-route-module-imports-another',
      comment: 'Each resource is its own sub-app; what two need is a schema module, or belongs in services/.',
      severity: 'error',
      from: { path: '^api/', pathNot: API_PLUMBING },
      to: { path: '^api/', pathNot: API_PLUMBING },
    },
    {
      name: 'worker-is-a-composition-root',
      comment: 'The worker builds activities and workflows, and gets the Temporal client side from temporal/; the application layer and the doors are not part of it.',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^(services|api|web|http|scripts)/' },
    },
    {
      name: 'product-never-imports-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.data|\\.tools|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
