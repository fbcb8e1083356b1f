"""One organisation on many machines: runs and jobs in the shared history database, executed by
shards (`posture scan --shard K/N`) or Celery workers (`posture worker`), merged by finalize."""
