import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { RunnerShoes } from '@deload/dashboard';
import { DomainError } from '@deload/domain';
import type { UserEntity } from '@deload/persistence';
import { newShoeSchema, SHOE_SPORT_LABELS, SHOE_SPORTS, shoeFromForm, shoePatchSchema, ShoesService } from '@deload/settings';
import { parseInput } from '../common/validation';

/** The shoes page: the runner's pairs with their distance and rotation, a form to add one and one to edit each. */
@ApiExcludeController()
@Controller('shoes')
export class ShoesPagesController {
  constructor(
    private readonly runnerShoes: RunnerShoes,
    private readonly shoes: ShoesService,
  ) {}

  @Get()
  async page(@CurrentUser() user: UserEntity, @Res() res: Response) {
    await this.render(res, user);
  }

  @Post()
  async add(@CurrentUser() user: UserEntity, @Body() body: Record<string, unknown>, @Res() res: Response) {
    await this.attempt(res, user, { form: 'add', values: body }, async () => {
      const shoe = await this.shoes.create(user.id, parseInput(newShoeSchema, shoeFromForm(body, user.units)));
      return `/shoes?saved=${shoe.id}#shoe-${shoe.id}`;
    });
  }

  @Post(':shoeId')
  async edit(
    @CurrentUser() user: UserEntity,
    @Param('shoeId') shoeId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    await this.attempt(res, user, { form: shoeId, values: body }, async () => {
      const shoe = await this.shoes.update(user.id, shoeId, parseInput(shoePatchSchema, shoeFromForm(body, user.units)));
      return `/shoes?saved=${shoe.id}#shoe-${shoe.id}`;
    });
  }

  @Post(':shoeId/retire')
  async retire(
    @CurrentUser() user: UserEntity,
    @Param('shoeId') shoeId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const shoe = await this.shoes.update(user.id, shoeId, { retired: body.retired !== 'false' });
    res.redirect(303, `/shoes?saved=${shoe.id}#shoe-${shoe.id}`);
  }

  /** Runs a save; a validation problem shows the page again with the message and what was typed, next to its form. */
  private async attempt(
    res: Response,
    user: UserEntity,
    form: { form: string; values: Record<string, unknown> },
    save: () => Promise<string>,
  ) {
    try {
      res.redirect(303, await save());
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'invalid')) throw error;
      res.status(400);
      await this.render(res, user, { ...form, message: error.message });
    }
  }

  private async render(res: Response, user: UserEntity, error?: { form: string; values: Record<string, unknown>; message: string }) {
    const data = await this.runnerShoes.forViewer(user, user.id);
    const saved = typeof res.req.query.saved === 'string' ? res.req.query.saved : undefined;
    res.render('shoes', {
      title: 'Shoes',
      nav: 'shoes',
      user,
      ...data,
      sports: SHOE_SPORTS.map((sport) => ({ sport, label: SHOE_SPORT_LABELS[sport] })),
      saved: error ? undefined : saved,
      formError: error,
    });
  }
}
