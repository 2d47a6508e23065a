// Prints the diagnostics catalogue (syntax and checker codes) as Markdown, for the error
// reference at the end of docs/language.md:
//   node --import tsx scripts/gen-error-docs.ts > /tmp/errors.md
// The section is generated, never edited by hand; test/compiler/check/catalogue.test.ts
// checks that docs/language.md contains the current output.

import { catalogueMarkdown } from "../compiler/diagnostics.js";

process.stdout.write(catalogueMarkdown());
