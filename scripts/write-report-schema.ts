// Writes schema/report.schema.json from the zod report schema. Run: npx tsx scripts/write-report-schema.ts
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../src/report/schema.ts';

const path = new URL('../schema/report.schema.json', import.meta.url);
writeFileSync(path, JSON.stringify(reportJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.pathname}`);
