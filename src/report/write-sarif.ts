// report.sarif (SARIF 2.1.0) for code scanning: one rule per check id of the run, its remediation
// as help and its risk as security-severity; one result per check that failed, warned or could not
// be judged, located at the repository file that configured the deployment (a manifest line, a
// compose file's service, the --config file, the CI workflow), else at the documented fallback;
// fingerprints that hold the deployment's identity; a waived fail suppressed with its reason.
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Result } from 'sarif';
import type { CheckResult, Report } from './schema.js';
import { isWaived, resultLine } from './summarize.js';
import { riskOf, SECURITY_SEVERITY } from './risk.js';
import { clip } from '../clip.js';
import { deploymentIdentity } from './target-info.js';

export interface SarifLocations {
  /** The repository file that configured the deployment and the line, when one is known: a compose file's service, the --config file, the CI workflow. */
  deployment: { uri: string; line: number } | null;
  /** The documented fallback (README "SARIF"): a repository file that exists (Dockerfile, compose file, package.json, README.md), else report.json. */
  fallback: string;
  /** The README section of each check, when the project's homepage is known. */
  helpBase: string | null;
}
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
    .initSimple({ toolDriverName: 'ovms-validate', toolDriverVersion: r.tool.version, ...(where.helpBase ? { url: where.helpBase } : {}) });
  const t = r.target;
  // Two deployments in one repository keep separate alerts: the fingerprint holds what was judged.
  const identity = deploymentIdentity(t) ?? t.kind;
  const at = where.deployment ?? { uri: where.fallback, line: 1 };
  for (const c of r.checks) {
    const level = LEVEL[c.verdict];
    const risk = riskOf(c.id);
    // The alert title states the finding when there is one, the property otherwise.
    const title = level ? clip(`${c.id}: ${resultLine(c)}`, 160) : c.title;
    const rule = new SarifRuleBuilder().initSimple({ ruleId: c.id, shortDescriptionText: title, fullDescriptionText: `Proves: ${c.title} (${c.clause}, ${c.requirement}; risk ${risk})` });
    rule.rule.name = c.id.replace(/[.-](\w)/g, (_m, ch: string) => ch.toUpperCase());
    rule.rule.help = { text: c.remediation, markdown: `**Remediation:** ${c.remediation}` };
    if (where.helpBase) rule.rule.helpUri = `${where.helpBase}#checks`;
    rule.rule.defaultConfiguration = { level: c.requirement === 'required' ? 'error' : 'warning' };
    rule.rule.properties = { tags: ['security', 'ovms', c.area], 'security-severity': SECURITY_SEVERITY[risk], precision: 'high', 'problem.severity': c.requirement === 'required' ? 'error' : 'warning' };
    run.addRule(rule);
    if (!level) continue;
    // A finding with a line of the user's own file (a manifest) is located there, one result each.
    const located = c.evidence?.locations ?? [];
    if (located.length > 0) {
      for (const l of located) {
        const res = new SarifResultBuilder().initSimple({
          level: l.level === 'fail' ? 'error' : 'warning', ruleId: c.id, fileUri: l.file, startLine: l.line,
          messageText: `${c.id} ${l.level.toUpperCase()} (static): ${l.message}\n- ${l.object}${l.container ? `, container ${l.container}` : ''}\nRemediation: ${c.remediation}`,
        });
        res.result.partialFingerprints = { 'ovmsValidateFinding/v1': `${c.id}:${l.object}:${l.container ?? ''}:${l.message.replace(/\d+/g, 'N')}` };
        res.result.properties = { verdict: l.level, basis: 'static', object: l.object };
        run.addResult(res);
      }
      continue;
    }
    const result = new SarifResultBuilder().initSimple({ level, messageText: message(c), ruleId: c.id, fileUri: at.uri, startLine: at.line });
    result.result.partialFingerprints = { 'ovmsValidateCheck/v2': `${c.id}:${t.kind}:${identity}` };
    result.result.properties = { verdict: c.verdict, target: r.headline, identity };
    if (c.waiver && isWaived(c)) result.result.suppressions = [{ kind: 'external', status: 'accepted', justification: `${c.waiver.reason} (${c.waiver.owner}, until ${c.waiver.expires}; ${c.waiver.file}:${c.waiver.line})` }];
    run.addResult(result);
  }
  const log = new SarifBuilder({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' });
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true }) + '\n';
}
