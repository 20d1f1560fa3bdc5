export { ConfigError, loadConfig } from './load-config';
export { booleanFlag, kafkaBrokers, logLevel, port, postgresUrl, redact, secret } from './env-vars';
