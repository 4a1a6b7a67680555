//! The client-side rate limiter of the AWS "adaptive" retry mode.
//!
//! A token bucket that stays open until the service throttles; from then
//! on every attempt takes a token, and the bucket's fill rate follows
//! CUBIC congestion control: cut to 70 % of the measured sending rate on a
//! throttling response, grown back along a cubic curve on each success,
//! never above twice the measured rate. The constants and the algorithm are
//! the AWS SDKs' shared retry specification's, so a client backs off as
//! botocore's and aws-sdk-rust's do.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The smallest fill rate, tokens per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The smallest bucket capacity.
const MIN_CAPACITY: f64 = 1.0;
/// The weight of the newest sample in the measured sending rate.
const SMOOTH: f64 = 0.8;
/// The fraction of the rate kept on a throttling response.
const BETA: f64 = 0.7;
/// CUBIC's scale constant.
const SCALE_CONSTANT: f64 = 0.4;
/// The longest a single attempt waits for a token.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// The rate limiter of one client, shared by its calls and clones. Times
/// are seconds since the Unix epoch, from the client's clock.
#[derive(Clone, Debug, Default)]
pub struct ClientRateLimiter {
    inner: Arc<Mutex<State>>,
}

/// The limiter's state, as the specification names it.
#[derive(Clone, Debug, Default, PartialEq)]
struct State {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_timestamp: Option<f64>,
    enabled: bool,
    measured_tx_rate: f64,
    last_tx_rate_bucket: Option<f64>,
    request_count: u64,
    last_max_rate: f64,
    last_throttle_time: Option<f64>,
    time_window: f64,
}

impl ClientRateLimiter {
    /// A limiter that lets every attempt through until the first throttle.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// Takes a token for an attempt about to start at `now`: how long to
    /// wait before sending it (zero while the bucket is open). The token is
    /// taken at once, so attempts that arrive together queue up behind each
    /// other.
    pub fn acquire(&self, now: f64) -> Duration {
        self.with(|s| {
            if !s.enabled {
                return Duration::ZERO;
            }
            s.refill(now);
            let wait = if s.current_capacity >= 1.0 {
                0.0
            } else {
                (1.0 - s.current_capacity) / s.fill_rate.max(MIN_FILL_RATE)
            };
            s.current_capacity -= 1.0;
            Duration::try_from_secs_f64(wait)
                .unwrap_or(MAX_WAIT)
                .min(MAX_WAIT)
        })
    }

    /// Reports an attempt's response received at `now`: a throttling
    /// response cuts the rate, any other grows it back.
    pub fn update(&self, now: f64, throttled: bool) {
        self.with(|s| s.update_sending_rate(now, throttled));
    }

    /// The bucket's fill rate (tokens per second) and whether it limits
    /// attempts yet.
    pub fn fill_rate(&self) -> (f64, bool) {
        self.with(|s| (s.fill_rate, s.enabled))
    }
}

impl State {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_timestamp {
            let fill = (now - last).max(0.0) * self.fill_rate;
            self.current_capacity = (self.current_capacity + fill).min(self.max_capacity);
        }
        self.last_timestamp = Some(now);
    }

    fn update_bucket_rate(&mut self, now: f64, new_rps: f64) {
        self.refill(now);
        self.fill_rate = new_rps.max(MIN_FILL_RATE);
        self.max_capacity = new_rps.max(MIN_CAPACITY);
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        let last = *self.last_tx_rate_bucket.get_or_insert(now.floor());
        self.request_count += 1;
        if bucket > last {
            let current = self.request_count as f64 / (bucket - last);
            self.measured_tx_rate = current * SMOOTH + self.measured_tx_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.last_tx_rate_bucket = Some(bucket);
        }
    }

    fn update_sending_rate(&mut self, now: f64, throttled: bool) {
        self.last_throttle_time.get_or_insert(now);
        self.update_measured_rate(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                self.measured_tx_rate.min(self.fill_rate)
            } else {
                self.measured_tx_rate
            };
            self.last_max_rate = rate;
            self.calculate_time_window();
            self.last_throttle_time = Some(now);
            self.enabled = true;
            cubic_throttle(rate)
        } else {
            self.calculate_time_window();
            self.cubic_success(now)
        };
        let new_rate = calculated.min(2.0 * self.measured_tx_rate);
        self.update_bucket_rate(now, new_rate);
    }

    fn calculate_time_window(&mut self) {
        self.time_window = (self.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
    }

    fn cubic_success(&self, now: f64) -> f64 {
        let dt = now - self.last_throttle_time.unwrap_or(now);
        SCALE_CONSTANT * (dt - self.time_window).powi(3) + self.last_max_rate
    }
}

fn cubic_throttle(rate: f64) -> f64 {
    rate * BETA
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// The specification's CUBIC vectors: after a throttle at 5 s with a
    /// maximum rate of 10, each success (or throttle, which cuts the last
    /// calculated rate) gives the next rate.
    #[test]
    fn cubic_follows_the_specification_vectors() {
        let given = |s: &mut State| {
            s.last_max_rate = 10.0;
            s.last_throttle_time = Some(5.0);
        };
        let mut s = State::default();
        given(&mut s);
        for (t, want) in [
            (5.0, 7.0),
            (6.0, 9.64893600966),
            (7.0, 10.000030849917364),
            (8.0, 10.453284520772092),
            (9.0, 13.408697022224185),
            (10.0, 21.26626835427364),
            (11.0, 36.425998516920465),
        ] {
            s.calculate_time_window();
            let got = s.cubic_success(t);
            assert!(close(got, want), "t={t}: {got} != {want}");
        }
        let mut s = State::default();
        given(&mut s);
        let mut last = 0.0;
        for (t, throttle, want) in [
            (5.0, false, 7.0),
            (6.0, false, 9.64893600966),
            (7.0, true, 6.754255206761999),
            (8.0, true, 4.727978644733399),
            (9.0, false, 6.606547753887045),
            (10.0, false, 6.763279816944947),
            (11.0, false, 7.598174833907107),
            (12.0, false, 11.511232804773524),
        ] {
            let got = if throttle {
                s.last_max_rate = last;
                s.calculate_time_window();
                s.last_throttle_time = Some(t);
                cubic_throttle(last)
            } else {
                s.calculate_time_window();
                s.cubic_success(t)
            };
            assert!(close(got, want), "t={t}: {got} != {want}");
            last = got;
        }
    }

    /// The specification's end-to-end vectors: measured sending rate and
    /// fill rate after each response.
    #[test]
    fn sending_rates_follow_the_specification_vectors() {
        let limiter = ClientRateLimiter::new();
        limiter.with(|s| {
            s.last_tx_rate_bucket = Some(0.0);
            s.last_throttle_time = Some(0.0);
        });
        for (t, throttle, measured, rate) in [
            (0.2, false, 0.0, 0.5),
            (0.4, false, 0.0, 0.5),
            (0.6, false, 4.8, 0.5),
            (0.8, false, 4.8, 0.5),
            (1.0, false, 4.16, 0.5),
            (1.2, false, 4.16, 0.6912),
            (1.4, false, 4.16, 1.0976),
            (1.6, false, 5.632, 1.6384),
            (1.8, false, 5.632, 2.3328),
            (2.0, true, 4.3264, 3.02848),
            (2.2, false, 4.3264, 3.486639),
            (2.4, false, 4.3264, 3.821874),
            (2.6, false, 5.66528, 4.053386),
            (2.8, false, 5.66528, 4.200373),
            (3.0, false, 4.333056, 4.282037),
            (3.2, true, 4.333056, 2.997426),
            (3.4, false, 4.333056, 3.452226),
        ] {
            limiter.update(t, throttle);
            let (fill, _) = limiter.fill_rate();
            let got_measured = limiter.with(|s| s.measured_tx_rate);
            assert!(
                close(got_measured, measured),
                "t={t}: measured {got_measured}"
            );
            assert!(
                (fill - rate).abs() < 1e-5,
                "t={t}: fill rate {fill} != {rate}"
            );
        }
    }

    #[test]
    fn the_bucket_opens_only_after_a_throttle_and_then_paces_attempts() {
        let limiter = ClientRateLimiter::new();
        for i in 0..100 {
            assert_eq!(limiter.acquire(f64::from(i) * 0.01), Duration::ZERO);
        }
        limiter.update(1.0, true);
        let (rate, enabled) = limiter.fill_rate();
        assert!(enabled);
        assert!(rate >= MIN_FILL_RATE);
        // The bucket starts empty: the first attempt waits for a token, the
        // next one for another on top.
        let first = limiter.acquire(1.0);
        let second = limiter.acquire(1.0);
        assert!(first > Duration::ZERO, "{first:?}");
        assert!(second > first, "{second:?} after {first:?}");
        assert!(second <= MAX_WAIT);
    }
}
