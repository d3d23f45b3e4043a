import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CryptoModule } from '@deload/crypto';
import { UsersModule } from '@deload/users';
import { AuthGuard } from './auth.guard';
import { RunnerAccess } from './runner-access.service';
import { SessionsService } from './sessions.service';
import { SingleUseTokens } from './single-use-tokens.service';

/** Sessions and access checks for every app (with the users they are about); `AuthApiModule` adds the global guard in the api. */
@Global()
@Module({
  imports: [CryptoModule, UsersModule],
  providers: [SessionsService, SingleUseTokens, RunnerAccess],
  exports: [UsersModule, SessionsService, SingleUseTokens, RunnerAccess, CryptoModule],
})
export class AuthModule {}

@Module({
  imports: [AuthModule],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthApiModule {}
