export { AppConfig } from './app-config';
export { ConfigModule } from './config.module';
export { envSchema, type Env } from './env.schema';
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config';
export { DEFAULT_SECRET_KEY_FILE, PUBLIC_DEVELOPMENT_SECRET_KEY } from './env.schema';
export { isLoopbackHost, listenProblem } from './listen-safety';
export { hostAndPort } from './host-and-port';
