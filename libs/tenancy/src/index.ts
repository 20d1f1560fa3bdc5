export {
  API_KEYS_REPLICA_SQL,
  applyApiKeyIssued,
  applyApiKeyRevoked,
  SqlApiKeyVerifier,
  type VerifiedCaller,
} from './api-key-store';
