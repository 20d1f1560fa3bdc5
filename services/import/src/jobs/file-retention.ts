import { Injectable } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type FileFormat } from '../profiles/domain/profile';
import { JobPasses } from './job-passes';
import {
  fileChunks,
  jobsWithFilesToRetire,
  retireFile,
  type JobRecord,
} from './persistence/job.repository';
import { readCsv } from './reading/csv-reader';

/** Jobs whose files one sweep deletes (one transaction). */
const SWEEP_JOBS = 20;

/** What the rejected-rows download needs of a file: its header row and its delimiter. */
export interface FileHead {
  /** The header's fields (profiles with a header row); null otherwise or when unreadable. */
  header: string[] | null;
  delimiter: string;
}

/**
 * Uploaded files are kept only while their job can still read them: once a job has ended
 * (completed, rejected, cancelled, failed) nothing reads its file again, so a sweep deletes its
 * chunks, keeping the header row and the delimiter in the job for the rejected-rows download.
 * A pass still reading a deleted file (a cancel racing it) fails instead of seeing a short file.
 */
@Injectable()
export class FileRetention {
  constructor(
    private readonly orm: MikroORM,
    private readonly passes: JobPasses,
  ) {}

  /** The file's header and delimiter: kept in the job, or read from the stored file. */
  async head(em: EntityManager, job: JobRecord, format: FileFormat): Promise<FileHead> {
    let delimiter = job.fileDelimiter ?? format.delimiter ?? ',';
    if (job.fileDeletedAt !== null) return { header: job.fileHeader, delimiter };
    if (job.fileSize === 0) return { header: null, delimiter };
    const records = readCsv(fileChunks(em, job.id, job.fileSize), format, {
      onDelimiter: (found) => (delimiter = found),
    });
    try {
      const first = await records.next();

      return { header: format.hasHeader && !first.done ? first.value.fields : null, delimiter };
    } catch {
      // An unreadable file (its job failed saying why) has no header to offer.
      return { header: null, delimiter };
    } finally {
      await records.return(undefined);
    }
  }

  /** Deletes the files of up to SWEEP_JOBS ended jobs; returns how many. */
  async sweep(): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      const jobs = await jobsWithFilesToRetire(tx, SWEEP_JOBS);
      for (const job of jobs) {
        const { file } = await this.passes.definitionOf(job);
        await retireFile(tx, job.id, await this.head(tx, job, file));
      }

      return jobs.length;
    });
  }
}
