"""The retry handling of one file, found in one walk and shared by the OAI3xx rules: the retry helpers
configured (tenacity, backoff, p-retry, async-retry, exponential-backoff) and the loops that retry an
OpenAI call from an exception handler. Each rule turns the sites into its own findings."""
