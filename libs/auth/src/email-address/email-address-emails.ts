import { Eta } from 'eta';

const eta = new Eta({ autoEscape: true, useWith: false });

interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const STYLE = 'font-family: system-ui, sans-serif; color: #1f2933; line-height: 1.5';
const MUTED = 'color: #52606d; font-size: 0.9rem';

function render(subject: string, text: string, html: string, data: object): RenderedEmail {
  return {
    subject,
    text: eta.renderString(text, data),
    html: eta.renderString(`<!doctype html>\n<html lang="en"><body style="${STYLE}">${html}</body></html>`, data),
  };
}

/** To the new address: the link that confirms it (nothing else is ever sent to an unconfirmed address). */
export function confirmAddressEmail(link: string, hours: number): RenderedEmail {
  return render(
    'Confirm your email address for Deload',
    `Hello,

Someone asked Deload to send its emails for their account to this address. If that was you,
open this link to confirm it (it works once, for <%= it.hours %> hours):

<%~ it.link %>

If it was not you, ignore this email: nothing changes without the link, and Deload will not
write to this address again.
`,
    `<p>Hello,</p>
<p>Someone asked Deload to send its emails for their account to this address. If that was you, confirm it (the link works once, for <%= it.hours %> hours):</p>
<p><a href="<%= it.link %>" style="display: inline-block; padding: 0.5rem 1rem; background: #0b6e4f; color: #fff; border-radius: 6px; text-decoration: none">Confirm this address</a></p>
<p style="${MUTED}">Or paste this address into your browser:<br><%= it.link %></p>
<p style="${MUTED}">If it was not you, ignore this email: nothing changes without the link, and Deload will not write to this address again.</p>`,
    { link, hours },
  );
}

/** To the old address, once the change is done: no link that acts, only what happened. */
export function addressChangedEmail(newEmail: string, settingsUrl: string): RenderedEmail {
  return render(
    'Your Deload email address was changed',
    `Hello,

The Deload account that used this address now uses <%= it.newEmail %>. Deload will not
write to this address again.

If you did not make this change, someone may have used your account: tell whoever runs
this Deload at once. Your settings: <%~ it.settingsUrl %>
`,
    `<p>Hello,</p>
<p>The Deload account that used this address now uses <strong><%= it.newEmail %></strong>. Deload will not write to this address again.</p>
<p>If you did not make this change, someone may have used your account: tell whoever runs this Deload at once.</p>
<p style="${MUTED}">Your settings: <a href="<%= it.settingsUrl %>"><%= it.settingsUrl %></a></p>`,
    { newEmail, settingsUrl },
  );
}
