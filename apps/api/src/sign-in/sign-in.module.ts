import { Module } from '@nestjs/common';
import { SignInModule } from '@deload/auth';
import { TeamsModule } from '@deload/teams';
import { SignInApiController } from './sign-in.api.controller';
import { SignInController } from './sign-in.controller';

/** Magic-link sign-in, sign-out and who is signed in: the pages (/, /login, /logout) and /api/login, /api/me. */
@Module({ imports: [SignInModule, TeamsModule], controllers: [SignInApiController, SignInController] })
export class SignInHttpModule {}
