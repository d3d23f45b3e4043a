export { AppConfig } from './app-config';
export { ConfigModule } from './config.module';
export { envSchema, type Env } from './env.schema';
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config';
