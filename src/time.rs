//! Time: the clock, durations as users write them, and timestamps formatted in UTC (with
//! jiff) for the text and export formats. A leaf module: it imports nothing from the crate.

/// Returns the current time in nanoseconds since the epoch.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// Returns the current time in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    now_ns() / 1_000_000
}

/// Parses a duration as users write it: `90` (bare seconds, as always), `30s`, `10m`, `2h`,
/// `7d`, or any combination humantime reads (`1h 30m`, `2weeks`). The error says why.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|e| e.to_string());
    }
    humantime::parse_duration(t).map_err(|e| e.to_string())
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS UTC` (`pach log`, `pach show`).
pub fn utc_seconds(secs: i64) -> String {
    strftime(
        jiff::Timestamp::from_second(secs),
        "%Y-%m-%d %H:%M:%S UTC",
        secs,
    )
}

/// Formats Unix seconds as RFC 3339 UTC without fractions (`2023-11-14T22:13:20Z`).
pub fn rfc3339_seconds(secs: i64) -> String {
    strftime(
        jiff::Timestamp::from_second(secs),
        "%Y-%m-%dT%H:%M:%SZ",
        secs,
    )
}

/// Formats milliseconds since the epoch as RFC 3339 UTC with milliseconds
/// (`2023-11-14T22:13:20.123Z`), as PROV-JSON and OpenLineage want.
pub fn rfc3339_millis(ms: i64) -> String {
    strftime(
        jiff::Timestamp::from_millisecond(ms),
        "%Y-%m-%dT%H:%M:%S%.3fZ",
        ms,
    )
}

/// Formats a timestamp in UTC; one outside jiff's range (beyond the years -9999..=9999,
/// which no clock gives but a hand-set `PACH_AUTHOR_DATE` could) prints as `@` and the raw
/// number instead of failing.
fn strftime(t: Result<jiff::Timestamp, jiff::Error>, format: &str, raw: i64) -> String {
    match t {
        Ok(t) => t.strftime(format).to_string(),
        Err(_) => format!("@{raw}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_format_in_utc_across_epoch_and_leap_days() {
        assert_eq!(super::utc_seconds(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc_seconds(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(super::utc_seconds(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(super::rfc3339_seconds(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339_millis(5), "1970-01-01T00:00:00.005Z");
        assert_eq!(super::rfc3339_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(super::utc_seconds(i64::MAX), format!("@{}", i64::MAX));
    }

    #[test]
    fn durations_parse_as_users_write_them() {
        use std::time::Duration;
        let d = |t| super::parse_duration(t);
        assert_eq!(d("90"), Ok(Duration::from_secs(90)));
        assert_eq!(d("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(d("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(d("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(d("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(d("1h 30m"), Ok(Duration::from_secs(5400)));
        for bad in ["", "s", "1.5x", "-1m", "two weeks", "99999999999999999999d"] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }
}
