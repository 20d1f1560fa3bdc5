import { Migration } from '@mikro-orm/migrations';
import { API_KEYS_REPLICA_SQL } from '@kontor/tenancy';

// Never edit a migration that has landed: add a new one.
export class Migration20261121000000_api_keys_replica extends Migration {
  override up(): void {
    this.addSql(API_KEYS_REPLICA_SQL);
  }
}
