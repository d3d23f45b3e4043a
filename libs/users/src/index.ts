export { normaliseEmail, UsersService } from './users.service';
export { UsersModule } from './users.module';
