import { Eta } from 'eta';
import juice from 'juice';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TEMPLATES_DIR = join(__dirname, '..', 'templates');

/** What every email template gets besides its own data. */
export interface EmailFrame {
  /** Shown at the top of the HTML body and as the inbox preview line. */
  preheader: string;
  /** Where "why am I getting this" and the unsubscribe links point. */
  links: { page: string; preferences: string; unsubscribe?: string };
  /** One line on why the recipient receives this email. */
  reason: string;
}

export interface RenderedEmail {
  html: string;
  text: string;
}

/**
 * Emails from Eta templates — the engine the pages already use — with the stylesheet inlined by
 * juice, because most mail clients ignore <style> blocks. Every email is `<name>.html.eta` (inside
 * layout.html.eta) plus a hand-written `<name>.txt.eta`, so the plain-text part reads as text
 * rather than as stripped HTML.
 */
export class EmailRenderer {
  private readonly html = new Eta({ views: TEMPLATES_DIR, autoEscape: true, cache: true });
  private readonly text = new Eta({ views: TEMPLATES_DIR, autoEscape: false, cache: true, autoTrim: false });
  private readonly css = readFileSync(join(TEMPLATES_DIR, 'email.css'), 'utf8');

  render<T extends object>(name: string, data: T & EmailFrame): RenderedEmail {
    const html = this.html.render(`./${name}.html.eta`, data);
    return {
      html: juice(html, { extraCss: this.css, removeStyleTags: false, preserveMediaQueries: true }),
      text: tidyText(this.text.render(`./${name}.txt.eta`, data)),
    };
  }
}

/** At most one blank line in a row, no trailing spaces: templates can stay readable. */
function tidyText(text: string): string {
  return `${text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
