import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@deload/auth';
import { RunnerShoes, ShoeListing } from '@deload/dashboard';
import type { ShoeEntity, UserEntity } from '@deload/persistence';
import { newShoeSchema, shoePatchSchema, ShoesService } from '@deload/settings';
import { ApiBodyFrom, parseInput } from '../common/validation';
import { NeedsCsrf, SignedInApi } from '../common/api-docs';

function shoeView(shoe: ShoeEntity | ShoeListing) {
  const { id, name, brand, model, source, startingDistanceM, retireThresholdM, retired, locallyEdited } = shoe;
  const defaultFor = 'defaultForSports' in shoe ? shoe.defaultForSports : [];
  return { id, name, brand, model, source, startingDistanceM, retireThresholdM, retired, defaultFor, locallyEdited };
}

const LISTING =
  '`[{ id, name, brand, model, source, startingDistanceM, retireThresholdM, retired, defaultFor, locallyEdited, distanceM, limitM, state, recentRuns, recentShare }]`, metres: `distanceM` is the distance on the shoe today, `limitM` where the worn-shoes rule says retire (the shoe’s own retire distance, else the runner’s threshold), `state` ok | ageing | worn, `recentRuns` and `recentShare` its runs of the last 8 weeks and their share of the runs with a shoe.';

@ApiTags('shoes')
@SignedInApi()
@Controller('api/shoes')
export class ShoesApiController {
  constructor(
    private readonly runnerShoes: RunnerShoes,
    private readonly shoes: ShoesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Your shoes, or a runner’s you coach (read only)',
    description:
      'With `runnerId`, the shoes of a runner who accepted your team (without Strava gear unless the operator enabled STRAVA_COACH_SHARING and the runner consented). A shoe’s distance: what Strava last reported plus the runs since (Strava gear), else its starting distance plus its runs.',
  })
  @ApiQuery({ name: 'runnerId', required: false, description: 'A runner you coach; default: you' })
  @ApiOkResponse({ description: LISTING })
  async list(@CurrentUser() user: UserEntity, @Query('runnerId') runnerId?: string) {
    const { shoes } = await this.runnerShoes.forViewer(user, runnerId ?? user.id);
    return shoes.map((shoe) => ({
      ...shoeView(shoe),
      distanceM: shoe.distanceM,
      limitM: shoe.limitM,
      state: shoe.state,
      recentRuns: shoe.recentRuns,
      recentShare: shoe.recentShare,
    }));
  }

  @Post()
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Add a shoe',
    description:
      'Only `name` is required. `startingDistanceM`: metres already on the pair (default 0); `retireThresholdM`: where to retire it (default null: your worn-shoes threshold, 800 km unless you changed it); `defaultFor`: sports whose new runs without gear get this shoe (another shoe stops being their default).',
  })
  @ApiBodyFrom(newShoeSchema)
  @ApiCreatedResponse({ description: 'The shoe' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async create(@CurrentUser() user: UserEntity, @Body() body: unknown) {
    return shoeView(await this.shoes.create(user.id, parseInput(newShoeSchema, body)));
  }

  @Patch(':shoeId')
  @NeedsCsrf()
  @ApiOperation({
    summary: 'Change any of your shoe’s fields',
    description:
      'Rename, set brand, model, `startingDistanceM` (not for Strava gear: Strava reports its distance), `retireThresholdM` (null: your threshold), `retired`, `defaultFor` (replaces the list). What you change on a Strava shoe stays as you set it when Strava syncs (`locallyEdited`).',
  })
  @ApiBodyFrom(shoePatchSchema)
  @ApiOkResponse({ description: 'The shoe after the change' })
  @ApiBadRequestResponse({ description: 'A value is not allowed; `message` names each problem' })
  async update(@CurrentUser() user: UserEntity, @Param('shoeId') shoeId: string, @Body() body: unknown) {
    return shoeView(await this.shoes.update(user.id, shoeId, parseInput(shoePatchSchema, body)));
  }

  @Post(':shoeId/retire')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({ summary: 'Retire a shoe: it stops counting for the worn-shoes rule and is the default of no sport' })
  @ApiOkResponse({ description: 'The shoe after the change' })
  async retire(@CurrentUser() user: UserEntity, @Param('shoeId') shoeId: string) {
    return shoeView(await this.shoes.update(user.id, shoeId, { retired: true }));
  }

  @Post(':shoeId/unretire')
  @HttpCode(200)
  @NeedsCsrf()
  @ApiOperation({ summary: 'Bring a retired shoe back into use' })
  @ApiOkResponse({ description: 'The shoe after the change' })
  async unretire(@CurrentUser() user: UserEntity, @Param('shoeId') shoeId: string) {
    return shoeView(await this.shoes.update(user.id, shoeId, { retired: false }));
  }
}
