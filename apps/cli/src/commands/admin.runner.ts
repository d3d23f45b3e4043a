// Decorator metadata for Nest/TypeORM: loaded here, not in main.ts, so --help and replay start without it.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '@deload/auth';
import { UsersService } from '@deload/users';
import { ConfigModule } from '@deload/config';
import { DomainError } from '@deload/domain';
import { PersistenceModule } from '@deload/persistence';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../cli-error';
import { CLI_LOGGER } from '../cli-logger';

async function withUsers<T>(work: (users: UsersService) => Promise<T>): Promise<T> {
  // Built here, not at import: the configuration is validated only when an admin command runs.
  @Module({ imports: [ConfigModule.forRoot(), PersistenceModule, AuthModule] })
  class AdminCliModule {}
  const app = await NestFactory.createApplicationContext(AdminCliModule, { logger: CLI_LOGGER, abortOnError: false });
  try {
    return await work(app.get(UsersService));
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message, error.kind === 'invalid' ? EXIT_USAGE : EXIT_FAILED);
    throw error;
  } finally {
    await app.close();
  }
}

export function setAdmin(email: string, isAdmin: boolean): Promise<void> {
  return withUsers(async (users) => {
    const user = await users.setAdmin(email, isAdmin);
    console.log(
      isAdmin
        ? `${user.email} is an admin: sees every email in the outbox, except other people's sign-in links`
        : `${user.email} is no longer an admin`,
    );
  });
}

export function listAdmins(): Promise<void> {
  return withUsers(async (users) => {
    const admins = await users.admins();
    console.log(admins.length ? admins.map((user) => user.email).join('\n') : 'no admins (grant one with `deload admin grant EMAIL`)');
  });
}
