/**
 * Injected into every CommonJS unit by scripts/build.mjs, which defines `import.meta.url` as this
 * binding; esbuild leaves it out of the units that never read it.
 */
import { pathToFileURL } from 'node:url';

export const import_meta_url = pathToFileURL(__filename).href;
