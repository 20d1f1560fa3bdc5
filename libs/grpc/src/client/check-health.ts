import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { GrpcCallError } from './grpc-call-error';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

export type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

// grpc.health.v1 Check of one service ('' = the whole server), for probes, scripts and tests.
export function checkHealth(
  address: string,
  service = '',
  deadlineMs = 2_000,
): Promise<HealthStatus> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<HealthStatus>((resolve, reject) => {
    const check = client['check'] as (
      request: { service: string },
      options: { deadline: Date },
      callback: (error: ServiceError | null, response?: { status: HealthStatus }) => void,
    ) => void;
    check.call(
      client,
      { service },
      { deadline: new Date(Date.now() + deadlineMs) },
      (error, response) => {
        client.close();
        if (error) reject(GrpcCallError.from(error));
        else resolve(response?.status ?? 'UNKNOWN');
      },
    );
  });
}
