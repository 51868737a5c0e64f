/**
 * Why a job was stopped before it finished; its message is the summary the
 * run completes with. Used as the reason of the job's AbortSignal.
 */
export class JobStopped extends Error {
  override readonly name = "JobStopped";

  static timedOut(seconds: number): JobStopped {
    return new JobStopped(`timed out after ${seconds} s`);
  }

  static cancelled(): JobStopped {
    return new JobStopped("cancelled");
  }

  static shuttingDown(): JobStopped {
    return new JobStopped("worker shutting down");
  }
}
