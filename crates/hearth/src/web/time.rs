//! Instants as people read them: `2026-11-22 22:18 UTC`, with the machine
//! form for `<time datetime>`. No time-zone database: every page says UTC.

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

fn parts(ms: i64) -> (i64, u32, u32, i64, i64) {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (y, mo, d, rem / 3600, rem % 3600 / 60)
}

/// `2026-11-22 22:18 UTC`
pub fn display(ms: i64) -> String {
    let (y, mo, d, h, mi) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// `2026-11-22T22:18Z`, for `<time datetime>`.
pub fn machine(ms: i64) -> String {
    let (y, mo, d, h, mi) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(display(0), "1970-01-01 00:00 UTC");
        assert_eq!(display(1_795_386_000_000), "2026-11-22 22:20 UTC");
        assert_eq!(machine(951_782_400_000), "2000-02-29T00:00Z");
    }
}
