//! `VirtualClock`: simulated time in milliseconds. Wait states, retry back-off and mock latency advance it;
//! nothing sleeps.

use chrono::{DateTime, SecondsFormat, Utc};

/// A point in virtual time, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct VirtualClock {
    now_ms: i64,
}

impl VirtualClock {
    pub fn new(start_ms: i64) -> Self {
        VirtualClock { now_ms: start_ms }
    }

    pub fn now_ms(self) -> i64 {
        self.now_ms
    }

    /// Moves forward by `secs` (negative or non-finite values are ignored).
    pub fn advance_secs(&mut self, secs: f64) {
        if secs.is_finite() && secs > 0.0 {
            self.now_ms = self.now_ms.saturating_add((secs * 1000.0).round() as i64);
        }
    }

    /// Moves to `ms` if that is later.
    pub fn advance_to(&mut self, ms: i64) {
        self.now_ms = self.now_ms.max(ms);
    }

    /// RFC 3339 with milliseconds, UTC: `2024-01-01T00:00:00.000Z`.
    pub fn rfc3339(self) -> String {
        format_ms(self.now_ms)
    }
}

/// Milliseconds since the epoch as RFC 3339 with milliseconds.
pub fn format_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|| ms.to_string())
}
