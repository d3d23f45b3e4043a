import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { thresholdsOf } from '@deload/dashboard';
import { ALERT_EMAIL_LEVELS, DomainError, isPlaceholderEmail, RULE_IDS } from '@deload/domain';
import { ALERT_LEVEL_LABELS } from '@deload/notify';
import type { UserEntity } from '@deload/persistence';
import { StravaConnections, StravaDataRemoval } from '@deload/strava';
import { overridesFromForm, PAIN_CHECKIN_CHOICES, preferencesSchema, SettingsService, thresholdForm } from '@deload/settings';
import { parseInput } from '../common/validation';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');

const checked = (value: unknown) => value !== undefined && value !== '' && value !== 'false';

/** The settings page: preferences, rule thresholds and the Strava connection, each its own form (shoes: the shoes page). */
@ApiExcludeController()
@Controller('settings')
export class SettingsPagesController {
  constructor(
    private readonly settings: SettingsService,
    private readonly stravaConnections: StravaConnections,
    private readonly stravaRemoval: StravaDataRemoval,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@CurrentUser() user: UserEntity, @Res() res: Response) {
    await this.render(res, user);
  }

  @Post()
  async savePreferences(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.attempt(res, user, 'preferences', async () => {
      const patch = parseInput(preferencesSchema, {
        displayName: String(body.displayName ?? ''),
        units: body.units,
        timezone: body.timezone,
        alertEmails: body.alertEmails,
        emailWeeklySummary: checked(body.emailWeeklySummary),
        painCheckin: body.painCheckin,
      });
      await this.settings.updatePreferences(user, patch);
      return '/settings?saved=preferences';
    });
  }

  @Post('thresholds')
  async saveThresholds(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.attempt(res, user, 'thresholds', async () => {
      await this.settings.updatePreferences(user, { ruleThresholds: overridesFromForm(body, user.units, thresholdsOf(user)) });
      return '/settings?saved=thresholds#thresholds';
    });
  }

  @Post('thresholds/reset')
  async resetThresholds(@CurrentUser() user: UserEntity, @Res() res: Response) {
    await this.settings.updatePreferences(user, { ruleThresholds: {} });
    res.redirect(303, '/settings?saved=thresholds#thresholds');
  }

  /** Revokes Deload at Strava and deletes the runner's Strava tokens and Strava-only runs and shoes. */
  @Post('strava/disconnect')
  async disconnectStrava(@CurrentUser() user: UserEntity, @Res() res: Response) {
    await this.stravaRemoval.disconnect(user.id);
    res.redirect(303, '/settings?saved=strava#strava');
  }

  /** Runs a save; a validation problem re-renders the page with the message next to the form it belongs to. */
  private async attempt(res: Response, user: UserEntity, form: string, save: () => Promise<string>) {
    try {
      res.redirect(303, await save());
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'invalid')) throw error;
      res.status(400);
      await this.render(res, user, { form, message: error.message });
    }
  }

  private async render(res: Response, user: UserEntity, error?: { form: string; message: string }) {
    const stravaConnection = await this.stravaConnections.byUser(user.id);
    const saved = typeof res.req.query.saved === 'string' ? res.req.query.saved : undefined;
    res.render('settings', {
      title: 'Settings',
      nav: 'settings',
      user,
      hasEmail: !isPlaceholderEmail(user.email),
      timeZones: TIME_ZONES.includes(user.timezone) ? TIME_ZONES : [user.timezone, ...TIME_ZONES],
      painCheckinChoices: PAIN_CHECKIN_CHOICES,
      alertLevels: ALERT_EMAIL_LEVELS.map((level) => ({ level, label: ALERT_LEVEL_LABELS[level] })),
      thresholds: thresholdForm(thresholdsOf(user), user.units),
      ruleIds: RULE_IDS,
      strava: {
        configured: !!(this.config.env.STRAVA_CLIENT_ID && this.config.env.STRAVA_CLIENT_SECRET),
        connectedSince: stravaConnection?.createdAt ?? null,
      },
      saved: error ? undefined : saved,
      formError: error,
    });
  }
}
