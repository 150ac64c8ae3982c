import axe from 'axe-core';

/**
 * axe-core on what jsdom rendered: the structural rules (labels, names, roles, ARIA). Colour
 * contrast needs a real layout engine; the browser run (e2e/console.mjs under ConsoleIT) checks it.
 * @returns the serious and critical violations as `impact rule-id: targets` lines
 */
export async function seriousViolations(root: Element = document.body): Promise<string[]> {
  // jsdom has no canvas and says so on stderr each time axe probes for one; axe does without it.
  HTMLCanvasElement.prototype.getContext = () => null;
  const result = await axe.run(root, { resultTypes: ['violations'], rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}
