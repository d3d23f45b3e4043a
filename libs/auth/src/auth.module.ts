import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CryptoModule } from '@deload/crypto';
import { AuthGuard } from './auth.guard';
import { RunnerAccess } from './runner-access.service';
import { SessionsService } from './sessions.service';
import { SingleUseTokens } from './single-use-tokens.service';
import { UsersService } from './users.service';

/** Users, sessions and access checks for every app; `AuthApiModule` adds the global guard in the api. */
@Global()
@Module({
  imports: [CryptoModule],
  providers: [UsersService, SessionsService, SingleUseTokens, RunnerAccess],
  exports: [UsersService, SessionsService, SingleUseTokens, RunnerAccess, CryptoModule],
})
export class AuthModule {}

@Module({
  imports: [AuthModule],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthApiModule {}
