export { serviceEnvSchema, type ServiceEnv } from './service-config';
export {
  consumeTopic,
  EVENT_CONSUMERS,
  KAFKA,
  ormOptions,
  ServiceKitModule,
  type ConsumerBinding,
  type ConsumerTuning,
  type ServiceKitOptions,
} from './service-kit.module';
export { runService, SHUTDOWN_SLACK_MS, type ServiceRunOptions } from './run-service';
