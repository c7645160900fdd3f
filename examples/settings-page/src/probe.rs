//! Which SMTP servers `POST /api/config/test` may contact, and the probe itself.
//!
//! The probe makes this server open connections wherever the submitted settings point, so it
//! would otherwise be a way to scan the internal network (SSRF). A host is contacted only when
//! its name, exactly as configured, is on the allow-list given at start-up, and every address
//! it resolves to is either public or itself on the list: an allow-listed name that resolves to
//! 127.0.0.1, a private network or a cloud metadata address is refused unless that address is
//! listed too. Loopback is never allowed implicitly. The probe then connects only to the
//! addresses that were checked: the name is not resolved a second time, so a DNS answer that
//! changes in between (rebinding) cannot point it elsewhere.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use mailconf_core::{FromValue, Host, Message};
use mailconf_smtp::diagnose::{self, ProbeReport, Target};
use mailconf_smtp::{SmtpConfig, SmtpSettings};

use crate::OptionsError;

/// Each probe step's limit: a web request should not hang for the full send TIMEOUT.
const STEP_TIMEOUT: Duration = Duration::from_secs(5);

/// The whole probe's limit, including a retry in the other TLS mode.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

const DNS_TIMEOUT: Duration = Duration::from_secs(5);

/// The ports SMTP is served on: the only ones the connection test contacts unless
/// `--allow-port` adds more, so that it cannot tell which other services a host runs.
pub(crate) const SMTP_PORTS: [u16; 4] = [25, 465, 587, 2525];

/// The ports the connection test may contact.
#[derive(Debug)]
pub(crate) struct Ports(Vec<u16>);

impl Ports {
    pub(crate) fn new(extra: &[u16]) -> Ports {
        Ports(SMTP_PORTS.iter().chain(extra).copied().collect())
    }

    /// Refuses before anything is contacted.
    pub(crate) fn check(&self, port: u16) -> Result<(), Message> {
        if self.0.contains(&port) {
            return Ok(());
        }
        Err(Message::new("page-port-refused").arg("port", port))
    }
}

/// The hosts given with `--allow-host`, parsed like MAIL_SERVER so they compare equal.
pub(crate) struct AllowList {
    hosts: Vec<Host>,
}

impl fmt::Debug for AllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.hosts.iter().map(ToString::to_string))
            .finish()
    }
}

/// Why a host may not be probed.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Answered with 403.
    Forbidden(Message),
    /// The name does not resolve: nothing can be checked, so nothing is contacted (502).
    Unresolved(Message),
}

impl AllowList {
    pub(crate) fn new(hosts: &[String]) -> Result<AllowList, OptionsError> {
        let hosts = hosts
            .iter()
            .map(|raw| {
                Host::from_value(raw)
                    .map(canonical)
                    .map_err(|e| OptionsError(format!("--allow-host {raw:?}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(AllowList { hosts })
    }

    fn listed(&self, host: &Host) -> bool {
        self.hosts.contains(&canonical(host.clone()))
    }

    fn listed_ip(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.hosts.iter().any(|h| h.ip() == Some(ip))
    }

    /// Whether `host` may be contacted on `port`; if so, the addresses it resolved to and that
    /// were checked, which are then the only ones the probe connects to.
    pub(crate) async fn check(&self, host: &Host, port: u16) -> Result<Vec<IpAddr>, Refusal> {
        if !self.listed(host) {
            let allowed = if self.hosts.is_empty() {
                Message::new("page-host-none-allowed")
            } else {
                let list: Vec<String> = self.hosts.iter().map(ToString::to_string).collect();
                Message::new("page-host-allowed").arg("hosts", list.join(", "))
            };
            return Err(Refusal::Forbidden(
                Message::new("page-host-refused")
                    .arg("host", host.to_string())
                    .arg("allowed", allowed),
            ));
        }
        let name = host.to_string();
        let addrs =
            match tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((name.as_str(), port)))
                .await
            {
                Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect::<Vec<_>>(),
                Ok(Err(e)) => {
                    return Err(Refusal::Unresolved(
                        Message::new("page-host-unresolved")
                            .arg("host", host.to_string())
                            .arg("reason", e.to_string()),
                    ));
                }
                Err(_) => {
                    return Err(Refusal::Unresolved(
                        Message::new("page-host-no-answer")
                            .arg("host", host.to_string())
                            .arg("seconds", DNS_TIMEOUT.as_secs()),
                    ));
                }
            };
        if addrs.is_empty() {
            return Err(Refusal::Unresolved(
                Message::new("page-host-no-address").arg("host", host.to_string()),
            ));
        }
        for &ip in &addrs {
            if self.listed_ip(ip) {
                continue;
            }
            if let Some(kind) = special(ip) {
                return Err(Refusal::Forbidden(
                    Message::new("page-host-special")
                        .arg("host", host.to_string())
                        .arg("ip", ip.to_string())
                        .arg("kind", Message::new(kind)),
                ));
            }
        }
        Ok(addrs)
    }
}

/// IDNA and IP parsing already made names comparable; this removes what remains (a trailing
/// dot, letter case, an IPv4 address written as IPv6).
fn canonical(host: Host) -> Host {
    match host {
        Host::Domain(d) => {
            let d = d.strip_suffix('.').unwrap_or(&d).to_ascii_lowercase();
            Host::Domain(d)
        }
        Host::Ipv6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => Host::Ipv4(v4),
            None => Host::Ipv6(ip),
        },
        ip @ Host::Ipv4(_) => ip,
    }
}

/// What kind of non-public address `ip` is (a catalog id); `None` for a public one.
fn special(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(if ip.is_loopback() {
        "page-address-loopback"
    } else if ip.is_private() {
        "page-address-private"
    } else if ip.is_link_local() {
        "page-address-link-local"
    } else if ip.is_unspecified() || a == 0 {
        "page-address-unspecified"
    } else if a == 100 && (64..128).contains(&b) {
        "page-address-cgnat"
    } else if ip.is_multicast() || ip.is_broadcast() || a >= 240 {
        "page-address-multicast"
    } else if ip.is_documentation() || (a == 198 && (b & 0xfe) == 18) || (a, b, c) == (192, 0, 0) {
        "page-address-reserved"
    } else {
        return None;
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return special_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return special_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    if segments[0] == 0x2002 {
        return special_v4(Ipv4Addr::from(
            (u32::from(segments[1]) << 16) | u32::from(segments[2]),
        ));
    }
    Some(if ip.is_loopback() {
        "page-address-loopback"
    } else if ip.is_unspecified() {
        "page-address-unspecified"
    } else if (segments[0] & 0xfe00) == 0xfc00 {
        "page-address-unique-local"
    } else if (segments[0] & 0xffc0) == 0xfe80 || (segments[0] & 0xffc0) == 0xfec0 {
        "page-address-link-local"
    } else if ip.is_multicast() {
        "page-address-multicast"
    } else if segments[0] == 0x2001 && segments[1] == 0x0db8 {
        "page-address-documentation"
    } else {
        return None;
    })
}

/// Connects to `addresses` (those [`AllowList::check`] vetted: the name is not looked up
/// again, so it cannot resolve elsewhere in between), negotiates TLS, says EHLO and logs in as
/// the settings say, sends no mail.
pub(crate) async fn run(config: &SmtpConfig, addresses: Vec<IpAddr>) -> ProbeReport {
    let step = config.timeout().min(STEP_TIMEOUT);
    let target = Target {
        addresses: Some(addresses),
        // The allow-list vets SMTP hosts, not token URLs: the page makes no OAuth2 requests.
        oauth2: None,
        ..Target::new(config)
    };
    diagnose::probe(&target, step).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(hosts: &[&str]) -> AllowList {
        AllowList::new(&hosts.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn host(raw: &str) -> Host {
        Host::from_value(raw).unwrap()
    }

    #[tokio::test]
    async fn only_listed_names_pass() {
        let allow = list(&["smtp.example.com"]);
        for raw in [
            "127.0.0.1",
            "localhost",
            "smtp.example.com.evil.example",
            "[::1]",
        ] {
            match allow.check(&host(raw), 587).await {
                Err(Refusal::Forbidden(message)) => {
                    assert!(message.to_string().contains("--allow-host"));
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_listed_name_that_resolves_to_loopback_is_refused() {
        let allow = list(&["localhost"]);
        match allow.check(&host("localhost"), 587).await {
            Err(Refusal::Forbidden(message)) => {
                assert!(message.to_string().contains("loopback"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let allow = list(&["LOCALHOST.", "127.0.0.1", "::1"]);
        allow.check(&host("localhost"), 587).await.unwrap();
    }

    #[tokio::test]
    async fn a_listed_address_passes() {
        let allow = list(&["127.0.0.1"]);
        let checked = allow.check(&host("127.0.0.1"), 25).await.unwrap();
        assert_eq!(
            checked,
            [IpAddr::V4(Ipv4Addr::LOCALHOST)],
            "what the probe connects to"
        );
        allow.check(&host("::ffff:127.0.0.1"), 25).await.unwrap();
        assert!(allow.check(&host("127.0.0.2"), 25).await.is_err());
    }

    #[test]
    fn only_smtp_ports_unless_allowed() {
        let ports = Ports::new(&[8025]);
        for port in [25, 465, 587, 2525, 8025] {
            assert!(ports.check(port).is_ok(), "{port}");
        }
        for port in [22, 80, 6379, 2526] {
            let message = ports.check(port).unwrap_err().to_string();
            assert!(
                message.contains(&format!("--allow-port {port}")),
                "{message}"
            );
        }
    }

    #[test]
    fn special_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            assert!(special(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1", "64:ff9b::5db8:d822"] {
            assert_eq!(special(ip.parse().unwrap()), None, "{ip}");
        }
    }
}
