//! Hosts as httpx normalises them: IPv4 (dotted decimal only), IPv6 literals, and names
//! encoded with IDNA 2008 (python's `idna` package, which httpx uses) rather than UTS 46.

use super::idna_table::IDNA2008_VALID;
use super::parse::UrlError;
use crate::codecs::percent::{quote, HOST_SAFE};

pub(crate) fn is_ipv4_style(host: &str) -> bool {
    let mut n = 0;
    for part in host.split('.') {
        n += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 4
}

/// Python `ipaddress.IPv4Address` rules: 4 decimal octets <= 255, no leading zeros.
pub(crate) fn valid_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// Python `ipaddress.IPv6Address` rules (including an optional `%scope_id`).
pub(crate) fn valid_ipv6(addr: &str) -> bool {
    let ip = match addr.split_once('%') {
        Some((ip, scope)) => {
            if scope.is_empty() || scope.contains('%') {
                return false;
            }
            ip
        }
        None => addr,
    };
    ip.parse::<std::net::Ipv6Addr>().is_ok()
}

/// IDNA-2008-like encoding: UTS 46 processing with STD3 rules and hyphen checks, but
/// rejecting any input that needed mapping (python `idna.encode` does no mapping).
pub(crate) fn idna_encode(host: &str) -> Option<String> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    // python `idna.encode` (IDNA 2008) only accepts PVALID/CONTEXT code points.
    if !host.chars().all(|c| {
        c.is_ascii() || matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') || idna2008_valid(c)
    }) {
        return None;
    }
    let uts = Uts46::new();
    let ascii = uts
        .to_ascii(
            host.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::VerifyAllowRootDot,
        )
        .ok()?;
    let (unicode, res) = uts.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check);
    res.ok()?;
    let dotted: String = host
        .chars()
        .map(|c| match c {
            '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
            c => c,
        })
        .collect();
    if unicode != dotted {
        return None;
    }
    Some(ascii.into_owned())
}

pub(crate) fn idna2008_valid(c: char) -> bool {
    let v = c as u32;
    // Number of range bounds <= v; odd means v lies inside a [start, end) pair.
    let idx = IDNA2008_VALID.partition_point(|&b| b <= v);
    idx % 2 == 1
}

pub(crate) fn encode_host(host: &str) -> Result<String, UrlError> {
    if host.is_empty() {
        Ok(String::new())
    } else if is_ipv4_style(host) {
        if valid_ipv4(host) {
            Ok(host.to_owned())
        } else {
            Err(UrlError::with_repr("Invalid IPv4 address: ", host))
        }
    } else if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
        let inner = &host[1..host.len() - 1];
        if valid_ipv6(inner) {
            Ok(inner.to_owned())
        } else {
            Err(UrlError::with_repr("Invalid IPv6 address: ", host))
        }
    } else if host.is_ascii() {
        Ok(quote(&host.to_ascii_lowercase(), HOST_SAFE))
    } else {
        idna_encode(&host.to_lowercase())
            .ok_or_else(|| UrlError::with_repr("Invalid IDNA hostname: ", host))
    }
}
