import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { acknowledgeInputSchema, AlertActions, dismissInputSchema } from '@deload/evaluation';
import type { UserEntity } from '@deload/persistence';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';
import { ApiBodyFrom } from '../common/validation';

const WHO =
  'For the runner, or a coach of a team the runner accepted. Answers `{ alert: { id, runnerId, response, responseAt }, actions }`: the response in force (`acknowledged`, `dismissed` or null) and every action on the alert, oldest first (`action`, `reason`, `note`, `severity`, `at`, `actor: { id, name }`).';

@ApiTags('alerts')
@SignedInApi()
@Controller('api/alerts/:id')
export class AlertsApiController {
  constructor(private readonly actions: AlertActions) {}

  @Post('acknowledge')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Acknowledge an alert: seen. It emails again only if its severity rises',
    description: `${WHO} Replaces a dismissal in force.`,
  })
  @ApiBodyFrom(acknowledgeInputSchema, 'An optional note (up to 500 characters)')
  @ApiOkResponse({ description: 'The alert’s response and its actions' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async acknowledge(@CurrentUser() user: UserEntity, @Param('id') alertId: string, @Body() body: unknown) {
    return this.actions.acknowledge(user, alertId, body);
  }

  @Post('dismiss')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Dismiss an alert with a reason: no more email for its episode',
    description: `${WHO} \`reason\`: planned-race, seeing-physio, wrong-data or other; \`note\` optional (up to 500 characters). The same thing coming back within the cooldown stays quiet too; pain coming earlier in a new alert still emails.`,
  })
  @ApiBodyFrom(dismissInputSchema, 'Why, and an optional note')
  @ApiOkResponse({ description: 'The alert’s response and its actions' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async dismiss(@CurrentUser() user: UserEntity, @Param('id') alertId: string, @Body() body: unknown) {
    return this.actions.dismiss(user, alertId, body);
  }

  @Delete('response')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Withdraw the acknowledgement or dismissal in force',
    description: `${WHO} The alert emails again as if nobody had answered it. Nothing in force: nothing changes.`,
  })
  @ApiOkResponse({ description: 'The alert’s response (null) and its actions' })
  async withdraw(@CurrentUser() user: UserEntity, @Param('id') alertId: string) {
    return this.actions.withdraw(user, alertId);
  }
}
