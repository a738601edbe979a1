// report.sarif (SARIF 2.1.0) for code-scanning dashboards: one rule per check id of the run, its
// remediation as help; one result per check that failed, warned or could not be judged, located
// at the file that configured the run (else report.json itself), line 1, as GitHub requires a
// location to show a result.
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Result } from 'sarif';
import type { CheckResult, Report } from './schema.js';
import { resultLine } from './summarize.js';

export interface SarifLocations {
  /** Path of the config file that set the run's options, relative to the repository; null when none is in it. */
  config: string | null;
  /** Path of report.json relative to the repository (or just its name). */
  report: string;
}

/** GitHub's scale: 7.0-8.9 high, 4.0-6.9 medium. */
const SEVERITY: Record<CheckResult['requirement'], string> = { required: '7.5', recommended: '5.0' };
const LEVEL: Partial<Record<CheckResult['verdict'], Result.level>> = { fail: 'error', error: 'error', warn: 'warning' };
/** Keeps one result's message readable in a dashboard; the whole evidence is in report.json. */
const MAX_EVIDENCE_ITEMS = 12;

function message(c: CheckResult): string {
  const lead = c.verdict === 'error' ? `could not be judged: ${resultLine(c)}` : resultLine(c);
  const items = c.evidence?.items ?? [];
  const shown = items.slice(0, MAX_EVIDENCE_ITEMS).map((i) => `- ${i}`);
  const more = items.length > shown.length ? [`- (${items.length - shown.length} more in report.json)`] : [];
  return [`${c.id} ${c.verdict.toUpperCase()}: ${lead}`, ...shown, ...more, `Remediation: ${c.remediation}`].join('\n');
}

export function writeSarif(r: Report, where: SarifLocations): string {
  const run = new SarifRunBuilder({ automationDetails: { id: `ovms-validate/${r.target.kind}/${r.profile}/` } })
    .initSimple({ toolDriverName: 'ovms-validate', toolDriverVersion: r.tool.version });
  for (const c of r.checks) {
    const rule = new SarifRuleBuilder().initSimple({ ruleId: c.id, shortDescriptionText: c.title, fullDescriptionText: `${c.title} (${c.clause}, ${c.requirement})` });
    rule.rule.name = c.id.replace(/[.-](\w)/g, (_m, ch: string) => ch.toUpperCase());
    rule.rule.help = { text: c.remediation, markdown: `**Remediation:** ${c.remediation}` };
    rule.rule.defaultConfiguration = { level: c.requirement === 'required' ? 'error' : 'warning' };
    rule.rule.properties = { tags: ['security', 'ovms', c.area], 'security-severity': SEVERITY[c.requirement], precision: 'high', 'problem.severity': c.requirement === 'required' ? 'error' : 'warning' };
    run.addRule(rule);
    const level = LEVEL[c.verdict];
    if (!level) continue;
    // A finding with a line of the user's own file (a manifest) is located there, one result each.
    const located = c.evidence?.locations ?? [];
    if (located.length > 0) {
      for (const l of located) {
        const r = new SarifResultBuilder().initSimple({
          level: l.level === 'fail' ? 'error' : 'warning', ruleId: c.id, fileUri: l.file, startLine: l.line,
          messageText: `${c.id} ${l.level.toUpperCase()} (static): ${l.message}\n- ${l.object}${l.container ? `, container ${l.container}` : ''}\nRemediation: ${c.remediation}`,
        });
        r.result.partialFingerprints = { 'ovmsValidateFinding/v1': `${c.id}:${l.object}:${l.container ?? ''}:${l.message.replace(/\d+/g, 'N')}` };
        r.result.properties = { verdict: l.level, basis: 'static', object: l.object };
        run.addResult(r);
      }
      continue;
    }
    const result = new SarifResultBuilder().initSimple({ level, messageText: message(c), ruleId: c.id, fileUri: where.config ?? where.report, startLine: 1 });
    result.result.partialFingerprints = { 'ovmsValidateCheck/v1': `${c.id}:${r.target.kind}` };
    result.result.properties = { verdict: c.verdict, target: r.headline };
    run.addResult(result);
  }
  const log = new SarifBuilder({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' });
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true }) + '\n';
}
