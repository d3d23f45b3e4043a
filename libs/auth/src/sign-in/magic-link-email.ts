import { Eta } from 'eta';

const eta = new Eta({ autoEscape: true, useWith: false });

const TEXT = `Hello,

Open this link to sign in to Deload (it works once, for <%= it.minutes %> minutes):

<%~ it.link %>

If you did not ask to sign in, ignore this email: nothing happens without the link.
`;

const HTML = `<!doctype html>
<html lang="en"><body style="font-family: system-ui, sans-serif; color: #1f2933; line-height: 1.5">
<p>Hello,</p>
<p>Open this link to sign in to Deload. It works once, for <%= it.minutes %> minutes.</p>
<p><a href="<%= it.link %>" style="display: inline-block; padding: 0.5rem 1rem; background: #0b6e4f; color: #fff; border-radius: 6px; text-decoration: none">Sign in to Deload</a></p>
<p style="color: #52606d; font-size: 0.9rem">Or paste this address into your browser:<br><%= it.link %></p>
<p style="color: #52606d; font-size: 0.9rem">If you did not ask to sign in, ignore this email: nothing happens without the link.</p>
</body></html>`;

export function magicLinkEmail(link: string, ttlSeconds: number): { subject: string; text: string; html: string } {
  const data = { link, minutes: Math.round(ttlSeconds / 60) };
  return { subject: 'Your Deload sign-in link', text: eta.renderString(TEXT, data), html: eta.renderString(HTML, data) };
}
