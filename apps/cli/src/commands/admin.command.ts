import { Command } from 'commander';

// Loaded on use: Nest and the database are heavy, and other commands should start quickly.
const runner = () => import('./admin.runner');

/**
 * `deload admin grant EMAIL | revoke EMAIL | list` — operators. An admin sees every email in the
 * outbox (except other people's sign-in links); nothing on the web can grant it.
 */
export function adminCommand(): Command {
  const admin = new Command('admin').description('operators: who may see every email in the outbox (no mail server)');
  admin
    .command('grant')
    .description('make an existing account an admin')
    .argument('<email>', 'the account’s email address')
    .action(async (email: string) => (await runner()).setAdmin(email, true));
  admin
    .command('revoke')
    .description('take admin away from an account')
    .argument('<email>', 'the account’s email address')
    .action(async (email: string) => (await runner()).setAdmin(email, false));
  admin
    .command('list')
    .description('list the admins')
    .action(async () => (await runner()).listAdmins());
  for (const command of admin.commands) command.exitOverride();
  return admin;
}
