//! Time: the clock, and calendar arithmetic for timestamps (UTC) shared by the text and
//! export formats. A leaf module: it imports nothing from the crate.

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

/// Splits Unix seconds into UTC (year, month, day, hour, minute, second).
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_handles_epoch_and_leap_days() {
        assert_eq!(super::civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(super::civil(951_782_400), (2000, 2, 29, 0, 0, 0));
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
