// Accessibility checks in the real browser: axe-core (pinned in package.json) run on the page as
// it is, so colour contrast and the computed accessible names count, which jsdom cannot judge.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Impacts that fail the run; `moderate` and `minor` findings are printed only. */
const FAILING = new Set(['serious', 'critical']);

/**
 * Runs axe on the page and answers the serious or critical violations as text, each rule with its
 * impact and elements (empty: none); the caller fails the run, after visiting every page so one
 * run lists them all. Injected through the DevTools protocol (page.evaluate), so
 * a Content-Security-Policy that forbids inline scripts does not stop it.
 */
export async function checkAccessibility(page, name, step) {
  // What a user reads is the end of a transition: PatternFly fades error texts in, and axe
  // measuring contrast halfway through would see them paler than they are. Endless animations
  // (spinners) never finish and are left out.
  await page.evaluate(() =>
    Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))),
  );
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    // The first element's own reason (e.g. the contrast ratio and colours found) says what to fix.
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, why: v.nodes[0]?.failureSummary?.replace(/\s+/g, ' '), targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  const lines = violations.map(
    (v) => `  ${v.impact} ${v.id} (${v.help}): ${v.targets.slice(0, 5).join(' | ')}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ''}${v.why ? `\n    ${v.why}` : ''}`,
  );
  const failing = violations.filter((v) => FAILING.has(v.impact));
  if (failing.length > 0) {
    const text = `accessibility of ${name}: ${failing.length} serious or critical violations\n${lines.join('\n')}`;
    step(`axe: ${text}`);
    return text;
  }
  step(`axe: ${name} has no serious or critical violation${lines.length ? `; also found:\n${lines.join('\n')}` : ''}`);
  return '';
}
