import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { envSchema } from '../libs/config/src';

const root = join(__dirname, '..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Relative link targets of a markdown file (no web addresses, no in-page anchors). */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^(https?:|mailto:|#)/.test(target));
}

describe('the documentation a user clones', () => {
  it.each(documents)('%s links only to files in this repository', (document) => {
    const markdown = readFileSync(join(root, document), 'utf8');
    const missing = relativeLinks(markdown).filter((target) => !existsSync(join(root, dirname(document), target.split('#')[0])));
    expect(missing).toEqual([]);
    expect(markdown).not.toMatch(/\.\.\/shared|DESIGN\.md/);
  });

  it('the README configuration table names every environment variable Deload reads', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const variables = Object.keys((envSchema as unknown as { in: { shape: Record<string, unknown> } }).in.shape);
    expect(variables.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it('the README states the Node versions package.json engines allows', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(readme).toContain(`\`${engines}\``);
  });
});
