/**
 * Path conventions: the names of health routes, and the folder and file names that mark test,
 * script and browser files.
 */

/** First path segments of health, readiness and liveness routes (`/healthz`, `/ready`, `/status/db`). */
export const HEALTH_SEGMENTS: readonly string[] = ['health', 'healthz', 'healthcheck', 'ready', 'readiness', 'readyz', 'live', 'liveness', 'livez', 'ping', 'status'];

/**
 * A health route path: `/health`, `/healthz/db`, `/health-check`, `/Ready` (Express and most
 * routers match paths case-insensitively by default).
 */
export const HEALTH_PATH = new RegExp(`^\\/(${HEALTH_SEGMENTS.join('|')})\\b`, 'i');

/** Route segments that are operational, not features: health routes, metrics and version endpoints. */
export const OPERATIONAL_SEGMENTS: readonly string[] = [...HEALTH_SEGMENTS, 'health-check', 'metrics', 'version'];

/**
 * A test, fixture, mock or story file: test folders (`__tests__`, `test/`, `e2e/`, `fixtures/`,
 * `cypress/`, `playwright/`, `mocks/`…) and `.test`/`.spec`/`.stories` names.
 */
export const TEST_PATH = /(^|[\\/])(__tests__|__mocks__|tests?|[\w.-]+-tests?|testing|test-utils|e2e|spec|fixtures?|cypress|playwright|mocks?)[\\/]|[._-](test|spec|e2e|stories|story)\.[cm]?[jt]sx?$|(^|[\\/])(test|spec)[-_.][\w.-]*\.[cm]?[jt]sx?$/i;

/** A script, tool, migration, seed, example or build/config file. */
export const SCRIPT_PATH = /(^|[\\/])\.?(scripts?|bin|cli|ci|migrations?|seeds?|seeders|tools|examples?|playgrounds?|samples?|sandbox(?:es)?|extra|release|tasks|\.github|hack)[\\/]|(^|[\\/])(seed|migrate)[\w-]*\.[cm]?[jt]s$|(^|[\\/])[\w.-]*\.(config|build)\.[cm]?[jt]s$|(^|[\\/])(gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$/i;

/** A file in a browser-only folder, or a `.client.ts` module (Remix). */
export const BROWSER_PATH = /(^|[\\/])(client-only|browser|frontend|public|static)[\\/]|\.client\.[cm]?[jt]sx?$/i;

/** Setup and configuration files of test runners and end-to-end suites (they name the tools). */
export const TEST_SETUP_FILE = /(^|[\\/])((playwright|vitest|jest|cypress|karma|mocha|ava|wdio)\.config|\.?mocharc|(global|jest|vitest|test)[-_.]?(setup|teardown)|setup[-_]?tests?|e2e[-_.]setup)[\w.-]*\.[cm]?[jt]sx?$/i;

/** Build tooling: bundler and compiler configuration files (they name the tools). */
export const BUILD_CONFIG_FILE = /(^|[\\/])(vite|webpack|rollup|esbuild|tsup|babel|postcss|tailwind|next|remix|astro|svelte|nuxt|turbo|eslint|prettier|jest-preset|metro|craco)\.config[\w.-]*\.[cm]?[jt]s$|(^|[\\/])(esbuild|build)\.[cm]?[jt]s$|(^|[\\/])(gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$/i;
