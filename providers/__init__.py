"""Provider adapters: all IO (SDKs, pagination, retries, concurrency) lives here."""
