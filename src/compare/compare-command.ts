// `ovms-validate compare OLD NEW`: what changed between two report folders. Exit 1 on a
// regression, 0 otherwise, 2 on bad input.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../errors.js';
import { addToReportFolder } from '../report/report-folder.js';
import { appendStepSummary } from '../report/step-summary.js';
import { ReportSchema, SCHEMA_VERSION, type Report } from '../report/schema.js';
import { compareReports } from './compare-reports.js';
import { writeCompareMarkdown, writeCompareTerminal } from './write-compare.js';

export const COMPARE_HELP = [
  'Usage: ovms-validate compare OLD NEW [--tolerance PCT] [--markdown FILE]',
  '',
  'Compares two report folders (or their report.json files), e.g. yesterday\'s nightly run and today\'s:',
  'a check whose verdict got worse (pass -> warn -> error -> fail, a new fail, or a check that was judged',
  'and now is skipped or not run) is a regression, and so is a new run that did not complete or judged',
  'nothing, and a measured figure (achieved rate, latency percentiles, memory peak and growth, time to refusal,',
  'time to ready) that moved the worse way by more than the tolerance and more than its noise floor',
  '(2 calls/s, 10 ms, 4 MiB), when enough samples stand behind it (30 calls, 3 memory samples; single',
  'timings are listed as noise). Runs of different targets or profiles are said to be not like for like,',
  'and a check that the new profile does not run is not a regression.',
  '',
  '  --tolerance PCT   relative change a figure may move before it counts [default: 25]',
  '  --markdown FILE   also write the comparison as Markdown to FILE',
  '  --strict-figures  count a worse figure as a regression even when it rests on fewer than 30 calls (latency,',
  '                    rate) or 3 memory samples; by default such moves are listed as noise',
  '',
  'With $GITHUB_STEP_SUMMARY set, the Markdown is appended to it as well.',
  'Checks that fail in both runs are listed as still failing (not regressions).',
  'Exit codes: 0 no regression; 1 a regression; 2 bad usage, a folder without a readable report, or the same report twice.',
  '',
].join('\n');

const reportPath = (arg: string): string => (existsSync(arg) && statSync(arg).isDirectory() ? join(arg, 'report.json') : arg);

function loadReport(arg: string, which: string): Report {
  const path = reportPath(arg);
  if (!existsSync(path)) throw new UsageError(`compare: ${which} '${arg}' has no report.json; pass a report folder written by ovms-validate (--report-dir)`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`compare: ${which} '${path}' is not JSON (${(e as Error).message.split('\n')[0]}); pass a report.json written by ovms-validate`);
  }
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== SCHEMA_VERSION) throw new UsageError(`compare: ${which} '${path}' has report schema version ${version}, this ovms-validate reads ${SCHEMA_VERSION}; compare reports of the same harness version`);
  const parsed = ReportSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`compare: ${which} '${path}' is not an ovms-validate report (${issue.path.join('.') || 'document'}: ${issue.message}); pass a report.json written by ovms-validate`);
  }
  return parsed.data;
}

export function runCompare(argv: string[], io: { out: (t: string) => void; progress: (l: string) => void; env: NodeJS.ProcessEnv }): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { tolerance: { type: 'string' }, markdown: { type: 'string' }, 'strict-figures': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) { io.out(COMPARE_HELP); return EXIT.OK; }
  if (positionals.length !== 2) throw new UsageError(`compare takes two report folders, OLD and NEW (got ${positionals.length}); e.g. ovms-validate compare reports/yesterday reports/today`);
  const tol = values.tolerance ?? '25';
  if (!/^\d+(\.\d+)?$/.test(tol)) throw new UsageError(`compare --tolerance: '${tol}' must be a percentage, e.g. 25`);
  const markdownFile = values.markdown ? resolve(values.markdown) : null;
  if (markdownFile && existsSync(markdownFile) && statSync(markdownFile).isDirectory()) throw new UsageError(`compare --markdown: '${values.markdown}' is a folder; pass a file name, e.g. ${join(values.markdown!, 'compare.md')}`);
  if (markdownFile && !existsSync(dirname(markdownFile))) throw new UsageError(`compare --markdown: the folder of '${values.markdown}' does not exist; create it or pass another path`);
  const [oldR, newR] = [loadReport(positionals[0]!, 'OLD'), loadReport(positionals[1]!, 'NEW')];
  if (realpathSync(reportPath(positionals[0]!)) === realpathSync(reportPath(positionals[1]!))) {
    throw new UsageError(`compare: OLD and NEW are the same report (${positionals[0]}); pass two report folders, e.g. the previous night's and this night's`);
  }
  const c = compareReports(oldR, newR, Number(tol), values['strict-figures'] === true);
  const md = writeCompareMarkdown(c);
  if (markdownFile) {
    try {
      addToReportFolder(dirname(markdownFile), basename(markdownFile), md);
    } catch (e) {
      throw new UsageError(`compare --markdown: cannot write '${values.markdown}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a file you can write`);
    }
  }
  io.out(writeCompareTerminal(c));
  const summary = io.env['GITHUB_STEP_SUMMARY'];
  if (summary) io.progress(appendStepSummary(summary, md, positionals[1]!));
  return c.regressions > 0 ? EXIT.CHECK_FAILED : EXIT.OK;
}
