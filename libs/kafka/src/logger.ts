import { Logger } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/** Structured fields of a log line; values must already be JSON-safe (no bigint). */
export type LogFields = Record<string, unknown>;

/** The logging this library needs; Nest's Logger fits through nestLogger(). */
export interface EventLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Adapts a Nest Logger (or a new one with `context`) to EventLogger. */
export function nestLogger(context: string | Logger = 'Kafka'): EventLogger {
  const logger = typeof context === 'string' ? new Logger(context) : context;
  const line = (message: string, fields?: LogFields): unknown =>
    fields ? { message, ...fields } : message;

  return {
    info: (message, fields) => logger.log(line(message, fields)),
    warn: (message, fields) => logger.warn(line(message, fields)),
    error: (message, fields) => logger.error(line(message, fields)),
  };
}

/** Routes kafkajs's own log lines (warn and above) to an EventLogger. */
export function kafkajsLogCreator(logger: EventLogger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const text = `kafkajs: ${message}`;
      switch (level) {
        case logLevel.ERROR:
        case logLevel.NOTHING:
          // kafkajs logs every failed protocol response ("Response CreateTopics(…)") as an error,
          // even those it retries (a coordinator still loading at boot); real failures reach the
          // caller as exceptions and are logged there, so these are warnings.
          if (String(message).startsWith('Response ')) logger.warn(text, fields);
          else logger.error(text, fields);
          break;
        case logLevel.WARN:
          logger.warn(text, fields);
          break;
        case logLevel.INFO:
        case logLevel.DEBUG:
          break;
      }
    };
}
