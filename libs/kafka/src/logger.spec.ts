import { logLevel } from 'kafkajs';
import { kafkajsLogCreator, type EventLogger } from './logger';

describe(kafkajsLogCreator.name, () => {
  const entry = (message: string) => ({
    namespace: 'Connection',
    level: logLevel.ERROR,
    label: 'ERROR',
    log: { timestamp: 'now', message, broker: '127.0.0.1:9092' },
  });

  it('reports a retried protocol response as a warning, with its fields', () => {
    const sut: EventLogger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    kafkajsLogCreator(sut)(logLevel.ERROR)(entry('Response InitProducerId(key: 22, version: 1)'));
    expect(sut.warn).toHaveBeenCalledWith('kafkajs: Response InitProducerId(key: 22, version: 1)', {
      timestamp: 'now',
      broker: '127.0.0.1:9092',
    });
    expect(sut.error).not.toHaveBeenCalled();
  });

  it('keeps other kafkajs errors as errors', () => {
    const sut: EventLogger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    kafkajsLogCreator(sut)(logLevel.ERROR)(entry('Connection error: connect ECONNREFUSED'));
    expect(sut.error).toHaveBeenCalledTimes(1);
    expect(sut.warn).not.toHaveBeenCalled();
  });
});
