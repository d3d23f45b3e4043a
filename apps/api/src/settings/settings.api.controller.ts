import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { thresholdsOf } from '@deload/dashboard';
import type { UserEntity } from '@deload/persistence';
import { preferencesSchema, SettingsService } from '@deload/settings';
import { ApiBodyFrom, parseInput } from '../common/validation';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';

function preferencesView(user: UserEntity) {
  const { displayName, units, timezone, alertEmails, emailWeeklySummary, painCheckin, ruleThresholds } = user;
  return {
    displayName,
    units,
    timezone,
    alertEmails,
    emailWeeklySummary,
    painCheckin,
    ruleThresholds,
    effectiveThresholds: thresholdsOf(user),
  };
}

@ApiTags('settings')
@SignedInApi()
@Controller('api')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get('settings')
  @ApiOperation({
    summary: 'Your preferences and rule thresholds (your overrides, and the thresholds in effect)',
    description:
      '`alertEmails` is `all` (alert emails as they happen, the default), `strongest` (only pain coming on earlier and high alerts) or `none` (the weekly summary only).',
  })
  @ApiOkResponse({
    description: '`{ displayName, units, timezone, alertEmails, emailWeeklySummary, painCheckin, ruleThresholds, effectiveThresholds }`',
  })
  get(@CurrentUser() user: UserEntity) {
    return preferencesView(user);
  }

  @Patch('settings')
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Change any of your preferences',
    description:
      '`ruleThresholds` replaces your overrides: a partial object of the thresholds in stored units, e.g. `{ "weekly-increase": { "caution": 1.4 }, "monotony": { "enabled": false } }`. A change that affects the rules re-evaluates your training.',
  })
  @ApiBodyFrom(preferencesSchema)
  @ApiOkResponse({ description: 'The preferences after the change' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async update(@CurrentUser() user: UserEntity, @Body() body: unknown) {
    return preferencesView(await this.settings.updatePreferences(user, parseInput(preferencesSchema, body)));
  }
}
