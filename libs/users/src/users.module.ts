import { Global, Module } from '@nestjs/common';
import { UsersService } from './users.service';

/** The accounts (users) every app reads: by id, by email, created on first sign-in or import. */
@Global()
@Module({
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
