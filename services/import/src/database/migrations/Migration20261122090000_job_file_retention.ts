import { Migration } from '@mikro-orm/migrations';

// Uploaded files are deleted once their job has ended (completed, rejected, cancelled, failed):
// the report and the rejected-rows download need only the job's counts, its row errors and, kept
// here, the file's header row and delimiter. Jobs that ended before this migration are swept too.
export class Migration20261122090000_job_file_retention extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE jobs
        ADD COLUMN file_deleted_at timestamptz,
        ADD COLUMN file_header jsonb,
        ADD COLUMN file_delimiter text;
      CREATE INDEX jobs_file_to_delete ON jobs (updated_at)
        WHERE file_deleted_at IS NULL
          AND state IN ('COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED');
    `);
  }
}
