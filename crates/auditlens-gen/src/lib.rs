//! Synthetic audit-log generator (placeholder until the generator lands).
