//! When to send a request again, and after how long: the rules of a `Retry` policy (and of
//! httpx's `retries=<int>`), as plain functions of plain values, so that they are tested here
//! and the transport only asks.
//!
//! Two kinds of failure are told apart, as urllib3 does: a connection that could not be made
//! (nothing was sent, so any request may go again), and a failure after the request started
//! going out, or a status the policy lists (the server may have acted on it, so only the
//! methods the policy allows, by default the idempotent ones, go again).

use crate::errors::ErrorKind;
use std::time::{Duration, SystemTime};

/// urllib3's `Retry.DEFAULT_ALLOWED_METHODS`: the idempotent methods (RFC 9110 section 9.2.2).
pub const IDEMPOTENT_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "PUT", "TRACE"];

/// The statuses retried by default: rate limited, and the gateway/overload family whose
/// request never reached an application (httpx-retries's and most SDKs' choice).
pub const DEFAULT_STATUSES: [u16; 4] = [429, 502, 503, 504];

#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// How many times a request may be sent again (attempts = `total` + 1).
    pub total: u32,
    /// The delay before retry `n` is `backoff_factor * 2**(n-1)` seconds...
    pub backoff_factor: f64,
    /// ...at most this long...
    pub backoff_max: f64,
    /// ...minus up to this fraction of it, at random (0: exact; 1: anywhere from 0 to it).
    pub jitter: f64,
    /// Responses with these statuses are retried (allowed methods only).
    pub status_forcelist: Vec<u16>,
    /// Methods that may be sent again after the server may have seen them (upper case);
    /// None: every method.
    pub allowed_methods: Option<Vec<String>>,
    /// Wait as long as a retried response's `Retry-After` says.
    pub respect_retry_after: bool,
    /// The longest `Retry-After` waited for: a server asking for more gets its response
    /// returned as it is rather than a retry sooner than it asked.
    pub retry_after_max: f64,
    /// httpx's `retries=<int>`: connection failures only, at httpcore's pace (the first
    /// retry at once, then 0.5 s, 1 s, 2 s...).
    pub connect_only: bool,
}

/// What an attempt came to, as far as a retry is concerned.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// It failed with this error before a response head arrived.
    Failed(ErrorKind),
    /// A response head arrived.
    Answered {
        status: u16,
        retry_after: Option<&'a str>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Return what the attempt gave.
    Stop,
    /// Send the request again after this long.
    RetryAfter(Duration),
}

/// Errors raised before anything was sent: a request that met one can always go again.
fn before_sending(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::ConnectError | ErrorKind::ConnectTimeout)
}

/// Errors once the request was (maybe) on its way: worth another try for a request the
/// server may see twice. Not the pool's own timeout, a proxy's refusal or a protocol error
/// of ours: sending again would meet the same.
fn after_sending(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ReadError
            | ErrorKind::WriteError
            | ErrorKind::RemoteProtocolError
            | ErrorKind::ReadTimeout
            | ErrorKind::WriteTimeout
    )
}

impl RetryPolicy {
    /// httpx's `HTTPTransport(retries=n)`.
    pub fn connect_only(total: u32) -> Self {
        RetryPolicy {
            total,
            backoff_factor: 0.5,
            backoff_max: f64::INFINITY,
            jitter: 0.0,
            status_forcelist: Vec::new(),
            allowed_methods: None,
            respect_retry_after: false,
            retry_after_max: 0.0,
            connect_only: true,
        }
    }

    /// Whether a request that has been retried `done` times may be retried again at all
    /// (the transport keeps a copy of the request only then).
    pub fn has_retries_left(&self, done: u32) -> bool {
        done < self.total
    }

    fn allows(&self, method: &str) -> bool {
        match &self.allowed_methods {
            None => true,
            Some(methods) => methods.iter().any(|m| m.eq_ignore_ascii_case(method)),
        }
    }

    /// Whether to send `method` again after its attempt came to `outcome`, the request having
    /// been retried `done` times already. `now` dates a `Retry-After` given as an HTTP date;
    /// `random` (in [0, 1)) draws the jitter.
    pub fn decide(
        &self,
        done: u32,
        method: &str,
        outcome: Outcome<'_>,
        now: SystemTime,
        random: f64,
    ) -> Decision {
        if !self.has_retries_left(done) {
            return Decision::Stop;
        }
        let backoff = Decision::RetryAfter(self.backoff(done + 1, random));
        match outcome {
            Outcome::Failed(kind) if before_sending(kind) => backoff,
            Outcome::Failed(kind) if !self.connect_only && after_sending(kind) => {
                if self.allows(method) {
                    backoff
                } else {
                    Decision::Stop
                }
            }
            Outcome::Failed(_) => Decision::Stop,
            Outcome::Answered {
                status,
                retry_after,
            } => {
                if self.connect_only
                    || !self.status_forcelist.contains(&status)
                    || !self.allows(method)
                {
                    return Decision::Stop;
                }
                let asked = retry_after
                    .filter(|_| self.respect_retry_after)
                    .and_then(|value| parse_retry_after(value, now));
                match asked {
                    None => backoff,
                    Some(wait) if wait.as_secs_f64() <= self.retry_after_max => {
                        Decision::RetryAfter(wait)
                    }
                    Some(_) => Decision::Stop,
                }
            }
        }
    }

    /// The wait before retry `n` (1 for the first).
    pub fn backoff(&self, n: u32, random: f64) -> Duration {
        // Past 2**62 every delay is capped anyway: keep the exponent where f64 is exact.
        let exponent = |e: u32| f64::from(2u32).powi(e.min(62) as i32);
        let base = if self.connect_only {
            match n {
                0 | 1 => 0.0,
                _ => self.backoff_factor * exponent(n - 2),
            }
        } else {
            self.backoff_factor * exponent(n.saturating_sub(1))
        };
        let capped = base.min(self.backoff_max);
        let jittered = capped * (1.0 - self.jitter * random.clamp(0.0, 1.0));
        Duration::try_from_secs_f64(jittered.max(0.0)).unwrap_or(Duration::MAX)
    }
}

/// A `Retry-After` value (RFC 9110 section 10.2.3) as a wait from `now`: delay-seconds, or an
/// HTTP date (a date already past waits nothing). None when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            total: 3,
            backoff_factor: 0.5,
            backoff_max: 60.0,
            jitter: 0.0,
            status_forcelist: DEFAULT_STATUSES.to_vec(),
            allowed_methods: Some(IDEMPOTENT_METHODS.iter().map(|m| m.to_string()).collect()),
            respect_retry_after: true,
            retry_after_max: 60.0,
            connect_only: false,
        }
    }

    fn now() -> SystemTime {
        httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap()
    }

    fn status(code: u16) -> Outcome<'static> {
        Outcome::Answered {
            status: code,
            retry_after: None,
        }
    }

    fn secs(s: f64) -> Decision {
        Decision::RetryAfter(Duration::from_secs_f64(s))
    }

    #[test]
    fn backoff_doubles_from_the_factor_up_to_the_cap() {
        let mut p = policy();
        p.backoff_max = 3.0;
        let delays: Vec<f64> = (1..=5).map(|n| p.backoff(n, 0.0).as_secs_f64()).collect();
        assert_eq!(delays, [0.5, 1.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn jitter_takes_off_up_to_its_fraction_of_the_delay() {
        let mut p = policy();
        p.jitter = 0.5;
        assert_eq!(p.backoff(2, 0.0), Duration::from_secs(1));
        assert_eq!(p.backoff(2, 0.5), Duration::from_secs_f64(0.75));
        assert_eq!(
            p.backoff(2, 0.999_999),
            Duration::from_secs_f64(0.500_000_5)
        );
        p.jitter = 1.0;
        assert!(p.backoff(2, 0.999_999) < Duration::from_millis(1));
    }

    #[test]
    fn huge_retry_numbers_neither_overflow_nor_panic() {
        let p = policy();
        assert_eq!(p.backoff(u32::MAX, 0.0), Duration::from_secs(60));
        let mut p = RetryPolicy::connect_only(u32::MAX);
        p.backoff_max = f64::INFINITY;
        assert!(p.backoff(u32::MAX, 0.0) > Duration::from_secs(1 << 40));
    }

    #[test]
    fn connect_only_keeps_httpcores_pace() {
        let p = RetryPolicy::connect_only(4);
        let delays: Vec<f64> = (1..=4).map(|n| p.backoff(n, 0.7).as_secs_f64()).collect();
        assert_eq!(delays, [0.0, 0.5, 1.0, 2.0]);
    }

    #[test]
    fn connect_only_retries_connection_failures_of_any_method_and_nothing_else() {
        let p = RetryPolicy::connect_only(2);
        let failed = |k| p.decide(0, "POST", Outcome::Failed(k), now(), 0.0);
        assert_eq!(failed(ErrorKind::ConnectError), secs(0.0));
        assert_eq!(failed(ErrorKind::ConnectTimeout), secs(0.0));
        assert_eq!(failed(ErrorKind::ReadError), Decision::Stop);
        assert_eq!(
            p.decide(0, "GET", status(503), now(), 0.0),
            Decision::Stop,
            "retries=<int> never looks at statuses"
        );
        assert_eq!(
            p.decide(
                2,
                "GET",
                Outcome::Failed(ErrorKind::ConnectError),
                now(),
                0.0
            ),
            Decision::Stop
        );
    }

    #[test]
    fn statuses_in_the_forcelist_are_retried_until_total_runs_out() {
        let p = policy();
        assert_eq!(p.decide(0, "GET", status(503), now(), 0.0), secs(0.5));
        assert_eq!(p.decide(1, "GET", status(429), now(), 0.0), secs(1.0));
        assert_eq!(p.decide(2, "GET", status(502), now(), 0.0), secs(2.0));
        assert_eq!(p.decide(3, "GET", status(503), now(), 0.0), Decision::Stop);
        assert_eq!(p.decide(0, "GET", status(500), now(), 0.0), Decision::Stop);
        assert_eq!(p.decide(0, "GET", status(200), now(), 0.0), Decision::Stop);
    }

    #[test]
    fn only_allowed_methods_go_again_once_the_server_may_have_seen_them() {
        let p = policy();
        assert_eq!(p.decide(0, "POST", status(503), now(), 0.0), Decision::Stop);
        assert_eq!(p.decide(0, "put", status(503), now(), 0.0), secs(0.5));
        let after_send = Outcome::Failed(ErrorKind::RemoteProtocolError);
        assert_eq!(p.decide(0, "PATCH", after_send, now(), 0.0), Decision::Stop);
        assert_eq!(p.decide(0, "DELETE", after_send, now(), 0.0), secs(0.5));
        // Nothing was sent: a POST may be tried again.
        let refused = Outcome::Failed(ErrorKind::ConnectError);
        assert_eq!(p.decide(0, "POST", refused, now(), 0.0), secs(0.5));
        let mut every = policy();
        every.allowed_methods = None;
        assert_eq!(every.decide(0, "POST", status(503), now(), 0.0), secs(0.5));
    }

    #[test]
    fn local_failures_are_not_retried() {
        let p = policy();
        for kind in [
            ErrorKind::PoolTimeout,
            ErrorKind::ProxyError,
            ErrorKind::LocalProtocolError,
            ErrorKind::UnsupportedProtocol,
        ] {
            assert_eq!(
                p.decide(0, "GET", Outcome::Failed(kind), now(), 0.0),
                Decision::Stop
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_is_the_wait() {
        let p = policy();
        let answered = |value| Outcome::Answered {
            status: 503,
            retry_after: Some(value),
        };
        assert_eq!(p.decide(0, "GET", answered("2"), now(), 0.9), secs(2.0));
        assert_eq!(
            p.decide(
                0,
                "GET",
                answered("Sun, 06 Nov 1994 08:49:40 GMT"),
                now(),
                0.0
            ),
            secs(3.0)
        );
        // A date already past: at once.
        assert_eq!(
            p.decide(
                0,
                "GET",
                answered("Sun, 06 Nov 1994 08:00:00 GMT"),
                now(),
                0.0
            ),
            secs(0.0)
        );
        // Unreadable: the backoff.
        assert_eq!(p.decide(0, "GET", answered("soon"), now(), 0.0), secs(0.5));
        assert_eq!(p.decide(0, "GET", answered("-1"), now(), 0.0), secs(0.5));
    }

    #[test]
    fn a_retry_after_past_the_cap_returns_the_response() {
        let mut p = policy();
        p.retry_after_max = 10.0;
        let answered = |value| Outcome::Answered {
            status: 429,
            retry_after: Some(value),
        };
        assert_eq!(p.decide(0, "GET", answered("10"), now(), 0.0), secs(10.0));
        assert_eq!(
            p.decide(0, "GET", answered("11"), now(), 0.0),
            Decision::Stop
        );
        assert_eq!(
            p.decide(0, "GET", answered("99999999999999999999999"), now(), 0.0),
            Decision::Stop
        );
        p.respect_retry_after = false;
        assert_eq!(p.decide(0, "GET", answered("11"), now(), 0.0), secs(0.5));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(
            parse_retry_after(" 120 ", now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("1.5", now()), None);
        assert_eq!(parse_retry_after("", now()), None);
        // The obsolete date forms RFC 9110 still asks a recipient to accept.
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now()),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:38 1994", now()),
            Some(Duration::from_secs(1))
        );
    }
}
