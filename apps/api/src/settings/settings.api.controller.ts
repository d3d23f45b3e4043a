import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { thresholdsOf } from '@deload/dashboard';
import type { ShoeEntity, UserEntity } from '@deload/persistence';
import { preferencesSchema, SettingsService, shoePatchSchema } from '@deload/settings';
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

function shoeView(shoe: ShoeEntity) {
  const { id, name, source, retireThresholdM, retired, reportedDistanceM } = shoe;
  return { id, name, source, retireThresholdM, retired, reportedDistanceM };
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

  @Get('shoes')
  @ApiOperation({ summary: 'Your shoes' })
  @ApiOkResponse({
    description:
      '`[{ id, name, source, retireThresholdM, retired, reportedDistanceM, limitM }]` (limitM: where the worn-shoes rule says retire)',
  })
  async shoes(@CurrentUser() user: UserEntity) {
    const runnerLimitM = thresholdsOf(user)['worn-shoes'].warningM;
    return (await this.settings.shoesOf(user.id)).map((shoe) => ({ ...shoeView(shoe), limitM: shoe.retireThresholdM ?? runnerLimitM }));
  }

  @Patch('shoes/:shoeId')
  @NeedsCsrf()
  @ApiOperation({ summary: 'Set a shoe’s retire distance (metres; null: use your threshold) or retire it' })
  @ApiBodyFrom(shoePatchSchema)
  @ApiOkResponse({ description: 'The shoe after the change' })
  async updateShoe(@CurrentUser() user: UserEntity, @Param('shoeId') shoeId: string, @Body() body: unknown) {
    return shoeView(await this.settings.updateShoe(user, shoeId, parseInput(shoePatchSchema, body)));
  }
}
