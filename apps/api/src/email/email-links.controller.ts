import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@deload/auth';
import { ALERT_EMAIL_LEVELS, invalid, isCoachRole } from '@deload/domain';
import { ALERT_LEVEL_LABELS, EMAIL_LISTS, EmailLinks, EmailPreferences, isAlertEmailLevel, LIST_LABELS, preferencesOf } from '@deload/notify';
import { UserEntity } from '@deload/persistence';

/**
 * Unsubscribe and preferences links from the footer of every email. No sign-in: the signed link is
 * the proof. GET never changes anything (mail scanners follow links); RFC 8058 one-click
 * unsubscribe is a POST with `List-Unsubscribe=One-Click`.
 */
@Controller('email')
export class EmailLinksController {
  constructor(private readonly links: EmailLinks) {}

  @Public()
  @Get('unsubscribe')
  async confirmUnsubscribe(@Query('t') token: string, @Res() res: Response) {
    const { userId, list } = this.links.readUnsubscribe(token);
    const user = await this.links.userFor(userId);
    res.render('email/unsubscribe', this.unsubscribePage(user, list, token, false));
  }

  @Public()
  @Post('unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Query('t') token: string, @Body() body: Record<string, string> | undefined, @Res() res: Response) {
    const { user, list } = await this.links.unsubscribe(token);
    if (body?.['List-Unsubscribe'] === 'One-Click') return res.type('text/plain').send(`unsubscribed from ${LIST_LABELS[list]}\n`);
    res.render('email/unsubscribe', this.unsubscribePage(user, list, token, true));
  }

  @Public()
  @Get('preferences')
  async preferences(@Query('t') token: string, @Res() res: Response) {
    const user = await this.links.userFor(this.links.readPreferences(token).userId);
    res.render('email/preferences', this.preferencesPage(user, token, false));
  }

  @Public()
  @Post('preferences')
  @HttpCode(200)
  async savePreferences(@Query('t') token: string, @Body() body: Record<string, string>, @Res() res: Response) {
    const alerts = body?.alerts;
    if (!isAlertEmailLevel(alerts)) throw invalid(`alerts must be one of ${ALERT_EMAIL_LEVELS.join(', ')}`);
    const chosen: EmailPreferences = {
      alerts,
      'weekly-summary': body['weekly-summary'] === 'on',
      'pain-checkin': body['pain-checkin'] === 'on',
      'coach-digest': body['coach-digest'] === 'on',
    };
    const user = await this.links.savePreferences(token, chosen);
    res.render('email/preferences', this.preferencesPage(user, token, true));
  }

  private unsubscribePage(user: UserEntity, list: (typeof EMAIL_LISTS)[number], token: string, done: boolean) {
    return {
      title: 'Unsubscribe',
      done,
      list,
      email: user.email,
      listLabel: LIST_LABELS[list],
      action: `/email/unsubscribe?t=${encodeURIComponent(token)}`,
      preferencesHref: this.links.preferencesUrl(user.id),
    };
  }

  private preferencesPage(user: UserEntity, token: string, saved: boolean) {
    const preferences = preferencesOf(user);
    const lists = EMAIL_LISTS.filter((list) => list !== 'alerts' && (list !== 'coach-digest' || isCoachRole(user.role)));
    return {
      title: 'Email preferences',
      saved,
      email: user.email,
      action: `/email/preferences?t=${encodeURIComponent(token)}`,
      alertLevels: ALERT_EMAIL_LEVELS.map((level) => ({ level, label: ALERT_LEVEL_LABELS[level], on: preferences.alerts === level })),
      lists: lists.map((name) => ({ name, label: capitalise(LIST_LABELS[name]), on: preferences[name as Exclude<typeof name, 'alerts'>] })),
    };
  }
}

function capitalise(text: string): string {
  return text.replace(/^[a-z"]+/, (word) => (word.startsWith('"') ? word : word.charAt(0).toUpperCase() + word.slice(1)));
}
