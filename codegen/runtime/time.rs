//! A UTC instant with nanosecond precision, and the three Smithy timestamp formats.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::codec_error::DecodeError;
use super::number::scan_number;

const NANOS_PER_SEC: u32 = 1_000_000_000;
const NANOS_PER_MILLI: u32 = 1_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// A point in time: whole seconds since 1970-01-01T00:00:00Z plus nanoseconds.
///
/// Instants before 1970 have negative `seconds` and still non-negative
/// `nanos` (floor semantics): half a second before the epoch is
/// `seconds = -1, nanos = 500_000_000`. `nanos` is always below one billion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

/// The error returned when a [`DateTime`] cannot be represented as a [`SystemTime`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timestamp out of range for SystemTime")
    }
}

impl std::error::Error for OutOfRange {}

/// The wire format of a timestamp (Smithy `@timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// Seconds since the Unix epoch, with an optional fraction (`epoch-seconds`).
    EpochSeconds,
    /// RFC 3339 date-time in UTC (`date-time`).
    DateTime,
    /// RFC 7231 IMF-fixdate (`http-date`).
    HttpDate,
}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime {
        seconds: 0,
        nanos: 0,
    };

    /// The instant `secs` whole seconds after (or before, if negative) the epoch.
    pub fn from_secs(secs: i64) -> Self {
        DateTime {
            seconds: secs,
            nanos: 0,
        }
    }

    /// The instant `secs` seconds plus `nanos` nanoseconds after the epoch.
    ///
    /// Nanoseconds of one billion or more carry into the seconds (saturating
    /// at the largest representable second).
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        let carry = i64::from(nanos / NANOS_PER_SEC);
        DateTime {
            seconds: secs.saturating_add(carry),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// The instant `millis` milliseconds after (or before, if negative) the epoch.
    pub fn from_millis(millis: i64) -> Self {
        let seconds = millis.div_euclid(1000);
        // rem_euclid is in 0..1000, so the product fits in u32.
        let nanos = millis.rem_euclid(1000) as u32 * NANOS_PER_MILLI;
        DateTime { seconds, nanos }
    }

    /// The instant `secs` (fractional) seconds after the epoch, rounded to the
    /// nearest nanosecond; `None` if `secs` is not finite or out of range.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        if !secs.is_finite() {
            return None;
        }
        let whole = secs.floor();
        // -2^63 and 2^63 are exactly representable as f64.
        if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&whole) {
            return None;
        }
        let frac = ((secs - whole) * f64::from(NANOS_PER_SEC)).round();
        // `whole` is an integer within i64 range and `frac` is within 0..=1e9,
        // so neither cast truncates.
        Some(Self::from_secs_and_nanos(whole as i64, frac as u32))
    }

    /// Whole seconds since the epoch (floor).
    pub fn secs(self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs); always below one billion.
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch (floor).
    pub fn as_millis(self) -> i128 {
        i128::from(self.seconds) * 1000 + i128::from(self.nanos / NANOS_PER_MILLI)
    }

    /// Seconds since the epoch as a float (may lose precision).
    pub fn as_secs_f64(self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Converts to a [`SystemTime`]; `None` if the platform cannot represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        if self.seconds >= 0 {
            SystemTime::UNIX_EPOCH
                .checked_add(Duration::new(self.seconds.unsigned_abs(), self.nanos))
        } else {
            SystemTime::UNIX_EPOCH
                .checked_sub(Duration::from_secs(self.seconds.unsigned_abs()))?
                .checked_add(Duration::from_nanos(u64::from(self.nanos)))
        }
    }

    /// Formats in the given wire format (see the `fmt_*` methods).
    pub fn format(self, format: TimestampFormat) -> String {
        match format {
            TimestampFormat::EpochSeconds => self.fmt_epoch_seconds(),
            TimestampFormat::DateTime => self.fmt_date_time(),
            TimestampFormat::HttpDate => self.fmt_http_date(),
        }
    }

    /// Parses text in the given wire format (see the `parse_*` functions).
    pub fn parse(text: &str, format: TimestampFormat) -> Result<Self, DecodeError> {
        match format {
            TimestampFormat::EpochSeconds => parse_epoch_seconds(text),
            TimestampFormat::DateTime => parse_date_time(text),
            TimestampFormat::HttpDate => parse_http_date(text),
        }
    }

    /// Formats as epoch seconds with millisecond precision.
    ///
    /// Whole seconds print as an integer (`1515531081`); otherwise the
    /// millisecond fraction follows without trailing zeros (`1515531081.1`,
    /// `-0.5`). Sub-millisecond nanoseconds are dropped (the instant is
    /// floored to the millisecond).
    pub fn fmt_epoch_seconds(self) -> String {
        let millis = self.nanos / NANOS_PER_MILLI;
        if millis == 0 {
            return self.seconds.to_string();
        }
        let mut out = String::with_capacity(24);
        if self.seconds >= 0 {
            out.push_str(&self.seconds.to_string());
            push_millis(&mut out, millis);
        } else {
            // value = seconds + millis/1000 = -((-seconds - 1) + (1000 - millis)/1000)
            let whole = -(self.seconds + 1);
            out.push('-');
            out.push_str(&whole.to_string());
            push_millis(&mut out, 1000 - millis);
        }
        out
    }

    /// Formats as an RFC 3339 UTC date-time, e.g. `2014-04-29T18:30:38Z` or
    /// `2014-04-29T18:30:38.123Z` (millisecond fraction only when non-zero,
    /// without trailing zeros).
    pub fn fmt_date_time(self) -> String {
        let (year, month, day, secs_of_day) = self.civil();
        let mut out = String::with_capacity(24);
        push_year(&mut out, year);
        out.push('-');
        push2(&mut out, month);
        out.push('-');
        push2(&mut out, day);
        out.push('T');
        push_time_of_day(&mut out, secs_of_day);
        push_millis(&mut out, self.nanos / NANOS_PER_MILLI);
        out.push('Z');
        out
    }

    /// Formats as an RFC 7231 IMF-fixdate, e.g. `Tue, 29 Apr 2014 18:30:38 GMT`
    /// (with a `.123` millisecond fraction before ` GMT` only when non-zero).
    pub fn fmt_http_date(self) -> String {
        let (year, month, day, secs_of_day) = self.civil();
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        // 1970-01-01 was a Thursday; index 0 is Sunday.
        let weekday = (days.rem_euclid(7) + 4) % 7;
        let mut out = String::with_capacity(32);
        out.push_str(WEEKDAYS[weekday as usize]);
        out.push_str(", ");
        push2(&mut out, day);
        out.push(' ');
        out.push_str(MONTHS[(month - 1) as usize]);
        out.push(' ');
        push_year(&mut out, year);
        out.push(' ');
        push_time_of_day(&mut out, secs_of_day);
        push_millis(&mut out, self.nanos / NANOS_PER_MILLI);
        out.push_str(" GMT");
        out
    }

    fn civil(self) -> (i64, u32, u32, u32) {
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        // rem_euclid is in 0..86400.
        let secs_of_day = self.seconds.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        (year, month, day, secs_of_day)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fmt_date_time())
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => DateTime {
                seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    DateTime {
                        seconds: -secs,
                        nanos: 0,
                    }
                } else {
                    DateTime {
                        seconds: -secs - 1,
                        nanos: NANOS_PER_SEC - d.subsec_nanos(),
                    }
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = OutOfRange;

    fn try_from(t: DateTime) -> Result<Self, Self::Error> {
        t.to_system_time().ok_or(OutOfRange)
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day`.
///
/// Counts in 400-year eras (146 097 days each) of years starting on March 1st,
/// so the leap day is the last day of its year.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let march_month = i64::from((month + 9) % 12); // March = 0 .. February = 11
    let day_of_year = (153 * march_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 days lie between 0000-03-01 and 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian `(year, month, day)` of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097; // 0..=146096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_month = (5 * day_of_year + 2) / 153; // 0..=11
                                                   // The results below are small and positive, so the casts do not truncate.
    let day = (day_of_year - (153 * march_month + 2) / 5 + 1) as u32;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn push2(out: &mut String, v: u32) {
    out.push(char::from(b'0' + (v / 10 % 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

fn push_year(out: &mut String, year: i64) {
    if (0..=9999).contains(&year) {
        // In range, so the cast does not truncate.
        let y = year as u32;
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        out.push_str(&format!("{year:04}"));
    }
}

fn push_time_of_day(out: &mut String, secs_of_day: u32) {
    push2(out, secs_of_day / 3600);
    out.push(':');
    push2(out, secs_of_day / 60 % 60);
    out.push(':');
    push2(out, secs_of_day % 60);
}

/// Appends `.` and the milliseconds without trailing zeros, or nothing for 0.
fn push_millis(out: &mut String, millis: u32) {
    if millis == 0 {
        return;
    }
    out.push('.');
    let digits = [millis / 100 % 10, millis / 10 % 10, millis % 10];
    let keep = if digits[2] != 0 {
        3
    } else if digits[1] != 0 {
        2
    } else {
        1
    };
    for d in &digits[..keep] {
        out.push(char::from(b'0' + *d as u8));
    }
}

/// A cursor over timestamp text that produces positioned errors.
struct Cursor<'s> {
    bytes: &'s [u8],
    pos: usize,
    what: &'static str,
}

impl<'s> Cursor<'s> {
    fn new(text: &'s str, what: &'static str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
            what,
        }
    }

    fn error(&self, message: &str) -> DecodeError {
        DecodeError::new(format!("invalid {}: {message}", self.what), self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), DecodeError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", char::from(c))))
        }
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Result<u32, DecodeError> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.error("expected a digit")),
            }
        }
        Ok(v)
    }

    /// An optional `.` and fraction digits (any count) as nanoseconds; extra digits are truncated.
    fn fraction(&mut self) -> Result<u32, DecodeError> {
        if self.peek() != Some(b'.') {
            return Ok(0);
        }
        self.pos += 1;
        let start = self.pos;
        let mut nanos = 0u32;
        let mut scale = NANOS_PER_SEC;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            scale /= 10;
            nanos += u32::from(c - b'0') * scale;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error("expected a digit after `.`"));
        }
        Ok(nanos)
    }

    /// Three letters that must be one of `names`; returns the index.
    fn name(&mut self, names: &[&str], what: &str) -> Result<usize, DecodeError> {
        let word = self.bytes.get(self.pos..self.pos + 3).unwrap_or(&[]);
        match names.iter().position(|n| n.as_bytes() == word) {
            Some(i) => {
                self.pos += 3;
                Ok(i)
            }
            None => Err(self.error(&format!("expected a {what} name"))),
        }
    }

    fn end(&self) -> Result<(), DecodeError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.error("unexpected trailing characters"))
        }
    }
}

struct Fields {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

/// Reads `HH:MM:SS[.fraction]` into `f`.
fn read_time(c: &mut Cursor<'_>, f: &mut Fields) -> Result<(), DecodeError> {
    f.hour = c.digits(2)?;
    c.expect(b':')?;
    f.minute = c.digits(2)?;
    c.expect(b':')?;
    f.second = c.digits(2)?;
    f.nanos = c.fraction()?;
    Ok(())
}

fn to_date_time(c: &Cursor<'_>, f: &Fields, offset_secs: i64) -> Result<DateTime, DecodeError> {
    let err = |m: &str| DecodeError::new(format!("invalid {}: {m}", c.what), 0);
    if !(1..=12).contains(&f.month) {
        return Err(err("month out of range"));
    }
    if f.day == 0 || f.day > days_in_month(f.year, f.month) {
        return Err(err("day out of range"));
    }
    if f.hour > 23 {
        return Err(err("hour out of range"));
    }
    if f.minute > 59 {
        return Err(err("minute out of range"));
    }
    if f.second > 59 {
        return Err(err("second out of range (leap seconds are not supported)"));
    }
    let days = days_from_civil(f.year, f.month, f.day);
    let secs =
        days * SECS_PER_DAY + i64::from(f.hour * 3600 + f.minute * 60 + f.second) - offset_secs;
    Ok(DateTime {
        seconds: secs,
        nanos: f.nanos,
    })
}

/// Parses an RFC 3339 date-time such as `2014-04-29T18:30:38.123Z`.
///
/// Accepts `T`, `t` or a space between date and time, `Z`/`z` or a numeric
/// offset (`+01:00`, `-08:00`, converted to UTC), and fractional seconds of
/// any length (truncated to nanoseconds). Leap seconds (`:60`) are rejected.
/// Error offsets are relative to the start of `text`.
pub fn parse_date_time(text: &str) -> Result<DateTime, DecodeError> {
    let mut c = Cursor::new(text, "RFC 3339 date-time");
    let mut f = Fields {
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    };
    f.year = i64::from(c.digits(4)?);
    c.expect(b'-')?;
    f.month = c.digits(2)?;
    c.expect(b'-')?;
    f.day = c.digits(2)?;
    match c.peek() {
        Some(b'T' | b't' | b' ') => c.pos += 1,
        _ => return Err(c.error("expected `T`")),
    }
    read_time(&mut c, &mut f)?;
    let offset_secs = match c.peek() {
        Some(b'Z' | b'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let hours = c.digits(2)?;
            c.expect(b':')?;
            let minutes = c.digits(2)?;
            if hours > 23 || minutes > 59 {
                return Err(c.error("time zone offset out of range"));
            }
            let secs = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return Err(c.error("expected `Z` or a time zone offset")),
    };
    c.end()?;
    to_date_time(&c, &f, offset_secs)
}

/// Parses an RFC 7231 IMF-fixdate such as `Tue, 29 Apr 2014 18:30:38 GMT`.
///
/// Fractional seconds (`18:30:38.123 GMT`) are accepted. The weekday name
/// must be valid but is not checked against the date. Error offsets are
/// relative to the start of `text`.
pub fn parse_http_date(text: &str) -> Result<DateTime, DecodeError> {
    let mut c = Cursor::new(text, "HTTP date");
    let mut f = Fields {
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    };
    c.name(&WEEKDAYS, "weekday")?;
    c.expect(b',')?;
    c.expect(b' ')?;
    f.day = c.digits(2)?;
    c.expect(b' ')?;
    // The index is below 12.
    f.month = c.name(&MONTHS, "month")? as u32 + 1;
    c.expect(b' ')?;
    f.year = i64::from(c.digits(4)?);
    c.expect(b' ')?;
    read_time(&mut c, &mut f)?;
    for b in *b" GMT" {
        c.expect(b)?;
    }
    c.end()?;
    to_date_time(&c, &f, 0)
}

/// Parses a decimal number of seconds since the epoch, e.g. `1515531081.123`.
///
/// Accepts the JSON number grammar (including exponents). The value is
/// computed exactly from the decimal digits; digits beyond nanoseconds are
/// truncated toward zero. Error offsets are relative to the start of `text`.
pub fn parse_epoch_seconds(text: &str) -> Result<DateTime, DecodeError> {
    let bytes = text.as_bytes();
    let err = |m: &str, at: usize| DecodeError::new(format!("invalid epoch seconds: {m}"), at);
    match scan_number(bytes, 0) {
        Ok((end, _)) if end == bytes.len() => {}
        Ok((end, _)) => return Err(err("unexpected character", end)),
        Err((m, at)) => return Err(err(m, at)),
    }
    let negative = bytes.first() == Some(&b'-');
    let body = if negative { &bytes[1..] } else { bytes };
    let mantissa_end = body
        .iter()
        .position(|&b| b == b'e' || b == b'E')
        .unwrap_or(body.len());
    let (mantissa, exponent_text) = body.split_at(mantissa_end);
    let (int_digits, frac_digits) = match mantissa.iter().position(|&b| b == b'.') {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, &mantissa[mantissa.len()..]),
    };
    // Exponent, clamped: anything beyond ±1000 is already degenerate.
    let mut exponent: i64 = 0;
    let mut exp_negative = false;
    for &b in exponent_text.iter().skip(1) {
        match b {
            b'-' => exp_negative = true,
            b'0'..=b'9' => exponent = (exponent * 10 + i64::from(b - b'0')).min(1_000_000),
            _ => {}
        }
    }
    if exp_negative {
        exponent = -exponent;
    }
    let digit_count = int_digits.len() + frac_digits.len();
    let digit = |i: usize| -> u8 {
        let d = if i < int_digits.len() {
            int_digits.get(i)
        } else {
            frac_digits.get(i - int_digits.len())
        };
        d.map_or(0, |d| d - b'0')
    };
    let leading_zeros = (0..digit_count).take_while(|&i| digit(i) == 0).count();
    if leading_zeros == digit_count {
        return Ok(DateTime::UNIX_EPOCH);
    }
    // Digit counts are bounded by the input length, far below i64::MAX.
    let first = leading_zeros as i64;
    // Position of the decimal point, counted in digits from the first non-zero digit.
    let point = int_digits.len() as i64 + exponent - first;
    if point > 19 {
        return Err(err("out of range", 0));
    }
    let digit_at = |k: i64| -> u8 {
        let i = first + k;
        if k < 0 || i < 0 {
            0
        } else {
            usize::try_from(i).map_or(0, digit)
        }
    };
    let mut seconds: i64 = 0;
    for k in 0..point.max(0) {
        seconds = seconds
            .checked_mul(10)
            .and_then(|s| s.checked_add(i64::from(digit_at(k))))
            .ok_or_else(|| err("out of range", 0))?;
    }
    let mut nanos: u32 = 0;
    for k in point..point + 9 {
        nanos = nanos * 10 + u32::from(digit_at(k));
    }
    Ok(if !negative {
        DateTime { seconds, nanos }
    } else if nanos == 0 {
        DateTime {
            seconds: -seconds,
            nanos: 0,
        }
    } else {
        DateTime {
            seconds: -seconds - 1,
            nanos: NANOS_PER_SEC - nanos,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    const KNOWN: [(i64, &str, &str); 11] = [
        (0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (
            951_782_400,
            "2000-02-29T00:00:00Z",
            "Tue, 29 Feb 2000 00:00:00 GMT",
        ),
        (
            1_398_796_238,
            "2014-04-29T18:30:38Z",
            "Tue, 29 Apr 2014 18:30:38 GMT",
        ),
        (
            1_515_531_081,
            "2018-01-09T20:51:21Z",
            "Tue, 09 Jan 2018 20:51:21 GMT",
        ),
        (
            253_402_300_799,
            "9999-12-31T23:59:59Z",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ),
        (
            -62_135_596_800,
            "0001-01-01T00:00:00Z",
            "Mon, 01 Jan 0001 00:00:00 GMT",
        ),
        (
            -2_203_891_200,
            "1900-03-01T00:00:00Z",
            "Thu, 01 Mar 1900 00:00:00 GMT",
        ),
        (
            4_107_499_200,
            "2100-02-28T12:00:00Z",
            "Sun, 28 Feb 2100 12:00:00 GMT",
        ),
        (
            -11_670_912_001,
            "1600-02-29T23:59:59Z",
            "Tue, 29 Feb 1600 23:59:59 GMT",
        ),
        (
            -14_182_940,
            "1969-07-20T20:17:40Z",
            "Sun, 20 Jul 1969 20:17:40 GMT",
        ),
        (-1, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT"),
    ];

    #[test]
    fn known_dates_format_and_parse() {
        for (secs, rfc, http) in KNOWN {
            let t = DateTime::from_secs(secs);
            assert_eq!(t.fmt_date_time(), rfc);
            assert_eq!(t.to_string(), rfc);
            assert_eq!(t.fmt_http_date(), http);
            assert_eq!(t.fmt_epoch_seconds(), secs.to_string());
            assert_eq!(parse_date_time(rfc), Ok(t), "{rfc}");
            assert_eq!(parse_http_date(http), Ok(t), "{http}");
            assert_eq!(parse_epoch_seconds(&secs.to_string()), Ok(t));
        }
    }

    #[test]
    fn civil_round_trip_every_day() {
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        let (mut y, mut m, mut d) = (1i64, 1u32, 1u32);
        for days in first..=last {
            assert_eq!(civil_from_days(days), (y, m, d));
            assert_eq!(days_from_civil(y, m, d), days);
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        assert_eq!((y, m, d), (10000, 1, 1));
    }

    #[test]
    fn fractions_and_negative_times() {
        let t = dt(-1, 500_000_000);
        assert_eq!(t.fmt_date_time(), "1969-12-31T23:59:59.5Z");
        assert_eq!(t.fmt_epoch_seconds(), "-0.5");
        assert_eq!(parse_date_time("1969-12-31T23:59:59.5Z"), Ok(t));
        assert_eq!(parse_epoch_seconds("-0.5"), Ok(t));

        let t = dt(1_515_531_081, 123_000_000);
        assert_eq!(t.fmt_epoch_seconds(), "1515531081.123");
        assert_eq!(t.fmt_date_time(), "2018-01-09T20:51:21.123Z");
        assert_eq!(t.fmt_http_date(), "Tue, 09 Jan 2018 20:51:21.123 GMT");
        assert_eq!(
            dt(1_515_531_081, 100_000_000).fmt_epoch_seconds(),
            "1515531081.1"
        );
        assert_eq!(
            dt(1_515_531_081, 120_999_999).fmt_epoch_seconds(),
            "1515531081.12"
        );
        assert_eq!(dt(1_515_531_081, 999_999).fmt_epoch_seconds(), "1515531081");
        assert_eq!(
            dt(1_515_531_081, 999_999).fmt_date_time(),
            "2018-01-09T20:51:21Z"
        );
        assert_eq!(dt(-2, 750_000_000).fmt_epoch_seconds(), "-1.25");
        assert_eq!(dt(-2, 1_000_000).fmt_epoch_seconds(), "-1.999");
        assert_eq!(
            dt(i64::MIN, 1_000_000).fmt_epoch_seconds(),
            "-9223372036854775807.999"
        );
    }

    #[test]
    fn parse_date_time_variants() {
        let base = DateTime::from_secs(1_398_796_238);
        assert_eq!(parse_date_time("2014-04-29t18:30:38z"), Ok(base));
        assert_eq!(parse_date_time("2014-04-29 18:30:38Z"), Ok(base));
        assert_eq!(parse_date_time("2014-04-29T19:30:38+01:00"), Ok(base));
        assert_eq!(parse_date_time("2014-04-29T10:30:38-08:00"), Ok(base));
        assert_eq!(parse_date_time("2014-04-30T00:00:38+05:30"), Ok(base));
        assert_eq!(
            parse_date_time("2014-04-29T18:30:38.123456789123Z"),
            Ok(dt(1_398_796_238, 123_456_789))
        );
        assert_eq!(
            parse_date_time("2014-04-29T18:30:38.1Z"),
            Ok(dt(1_398_796_238, 100_000_000))
        );
    }

    #[test]
    fn parse_date_time_errors() {
        let cases = [
            ("", 0),
            ("2014-04-29", 10),
            ("2014-04-29T18:30:38", 19),
            ("2014-04-29T18:30:38.Z", 20),
            ("2014-04-29T18:30:38Zjunk", 20),
            ("2014/04/29T18:30:38Z", 4),
            ("14-04-29T18:30:38Z", 2),
            ("2014-04-29T18:30:38+0100", 22),
        ];
        for (text, offset) in cases {
            let e = parse_date_time(text).err();
            assert_eq!(e.map(|e| e.offset()), Some(offset), "{text}");
        }
        for text in [
            "2014-13-01T00:00:00Z",
            "2014-00-01T00:00:00Z",
            "2014-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2014-04-31T00:00:00Z",
            "2014-04-00T00:00:00Z",
            "2014-04-29T24:00:00Z",
            "2014-04-29T23:60:00Z",
            "2016-12-31T23:59:60Z",
            "2014-04-29T18:30:38+24:00",
        ] {
            let e = parse_date_time(text);
            assert!(e.is_err(), "{text}");
        }
        assert!(parse_date_time("2016-12-31T23:59:60Z")
            .err()
            .is_some_and(|e| e.message().contains("leap")));
    }

    #[test]
    fn parse_http_date_variants() {
        assert_eq!(
            parse_http_date("Tue, 29 Apr 2014 18:30:38.5 GMT"),
            Ok(dt(1_398_796_238, 500_000_000))
        );
        for bad in [
            "Tue, 29 Apr 2014 18:30:38",
            "Tue 29 Apr 2014 18:30:38 GMT",
            "Xyz, 29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 31 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30:38 UTC",
            "Tue, 29 Apr 2014 18:30:38 GMT ",
            "Tue, 9 Apr 2014 18:30:38 GMT",
            "Tu",
        ] {
            assert!(parse_http_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parse_epoch_seconds_exact() {
        assert_eq!(
            parse_epoch_seconds("1515531081.123"),
            Ok(dt(1_515_531_081, 123_000_000))
        );
        assert_eq!(
            parse_epoch_seconds("1515531081.1234567899"),
            Ok(dt(1_515_531_081, 123_456_789))
        );
        assert_eq!(
            parse_epoch_seconds("-1515531081.123"),
            Ok(dt(-1_515_531_082, 877_000_000))
        );
        assert_eq!(
            parse_epoch_seconds("1.515531081123E9"),
            Ok(dt(1_515_531_081, 123_000_000))
        );
        assert_eq!(
            parse_epoch_seconds("1515531081123e-3"),
            Ok(dt(1_515_531_081, 123_000_000))
        );
        assert_eq!(parse_epoch_seconds("15e-1"), Ok(dt(1, 500_000_000)));
        assert_eq!(parse_epoch_seconds("0.000000001"), Ok(dt(0, 1)));
        assert_eq!(parse_epoch_seconds("0.0000000001"), Ok(dt(0, 0)));
        assert_eq!(parse_epoch_seconds("-0"), Ok(dt(0, 0)));
        assert_eq!(parse_epoch_seconds("0e999999999999999999999"), Ok(dt(0, 0)));
        assert_eq!(parse_epoch_seconds("1e-999999999999999999"), Ok(dt(0, 0)));
        assert_eq!(
            parse_epoch_seconds("9223372036854775807"),
            Ok(dt(i64::MAX, 0))
        );
        assert_eq!(
            parse_epoch_seconds("-9223372036854775807.5"),
            Ok(dt(i64::MIN, 500_000_000))
        );
        assert!(parse_epoch_seconds("9223372036854775808").is_err());
        assert!(parse_epoch_seconds("1e20").is_err());
        assert!(parse_epoch_seconds("1e99999999999999999").is_err());
        for bad in ["", "abc", "1.", "+1", "1 ", "0x1", "NaN"] {
            assert!(parse_epoch_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn constructors() {
        assert_eq!(
            dt(5, 2_500_000_000),
            DateTime::from_secs_and_nanos(7, 500_000_000)
        );
        assert_eq!(DateTime::from_millis(-1), dt(-1, 999_000_000));
        assert_eq!(DateTime::from_millis(1_500), dt(1, 500_000_000));
        assert_eq!(DateTime::from_millis(-1).as_millis(), -1);
        assert_eq!(dt(-1, 999_999_999).as_millis(), -1);
        assert_eq!(DateTime::from_secs_f64(-0.5), Some(dt(-1, 500_000_000)));
        assert_eq!(DateTime::from_secs_f64(1.25), Some(dt(1, 250_000_000)));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), None);
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY), None);
        assert_eq!(DateTime::from_secs_f64(1e19), None);
        assert_eq!(DateTime::from_secs_f64(-1e19), None);
        assert_eq!(dt(1, 250_000_000).as_secs_f64(), 1.25);
        assert_eq!(dt(-1, 500_000_000).as_secs_f64(), -0.5);
        assert_eq!(DateTime::UNIX_EPOCH, DateTime::default());
        assert!(dt(-1, 999_999_999) < dt(0, 0));
        assert_eq!(dt(-1, 5).secs(), -1);
        assert_eq!(dt(-1, 5).subsec_nanos(), 5);
    }

    #[test]
    fn system_time_round_trip() {
        for t in [
            dt(0, 0),
            dt(1_515_531_081, 123_456_789),
            dt(-1, 500_000_000),
            dt(-86_400 * 365, 1),
            dt(-5, 0),
        ] {
            let st = SystemTime::try_from(t).expect("representable");
            assert_eq!(DateTime::from(st), t);
            assert_eq!(t.to_system_time(), Some(st));
        }
        let now = SystemTime::now();
        assert_eq!(DateTime::from(now).to_system_time(), Some(now));
        assert_eq!(
            OutOfRange.to_string(),
            "timestamp out of range for SystemTime"
        );
    }

    #[test]
    fn format_parse_dispatch_round_trip() {
        for t in [
            dt(1_398_796_238, 0),
            dt(1_398_796_238, 120_000_000),
            dt(-1, 500_000_000),
        ] {
            for f in [
                TimestampFormat::EpochSeconds,
                TimestampFormat::DateTime,
                TimestampFormat::HttpDate,
            ] {
                assert_eq!(DateTime::parse(&t.format(f), f), Ok(t), "{f:?}");
            }
        }
        // Extreme values format without panicking.
        assert!(!dt(i64::MAX, 999_999_999).fmt_date_time().is_empty());
        assert!(!dt(i64::MIN, 0).fmt_http_date().is_empty());
    }
}
