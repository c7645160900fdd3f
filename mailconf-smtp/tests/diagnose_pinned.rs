//! The probe with addresses given by the caller (`Target::addresses`): it connects to them and
//! looks nothing up, so a name vetted once cannot resolve elsewhere for the connection.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use mailconf_core::{FromValue, Host, Lang, Port};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use mailconf_smtp::diagnose::{self, StepName, Target};
use mailconf_smtp::{Security, TlsOptions};

const STEP: Duration = Duration::from_secs(5);

/// A plain-text server reached as `pinned.invalid`, a name that never resolves (RFC 6761).
fn target(port: u16, addresses: Option<Vec<IpAddr>>) -> Target {
    Target {
        host: Host::from_value("pinned.invalid").unwrap(),
        port: Port::from_value(&port.to_string()).unwrap(),
        security: Some(Security::Plain),
        tls: TlsOptions {
            validate_certs: true,
            ca_file: None,
        },
        credentials: None,
        oauth2: None,
        hello_name: None,
        plaintext_login: false,
        from_url: false,
        addresses,
        provider: None,
    }
}

#[tokio::test]
async fn given_addresses_are_connected_to_without_a_lookup() {
    let server = DevServer::builder()
        .tls(DevTls::None)
        .start()
        .await
        .unwrap();
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);

    let report = diagnose::probe(&target(server.port(), Some(vec![loopback])), STEP).await;
    assert!(report.ok, "{report:#?}");
    let dns = &report.steps[0];
    assert_eq!(dns.name, StepName::Dns);
    assert_eq!(
        dns.detail,
        "pinned.invalid: 127.0.0.1 (given, not looked up)"
    );
    assert_eq!(
        dns.detail_in(Lang::Ko),
        "pinned.invalid: 127.0.0.1 (지정된 주소, 조회하지 않음)"
    );
    // Every step of a passed probe says what happened in Korean too.
    for step in &report.steps {
        let korean = step.detail_in(Lang::Ko);
        assert!(
            korean
                .chars()
                .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
                || step.detail.starts_with(char::is_numeric),
            "{:?}: {korean}",
            step.name
        );
    }
    assert_eq!(report.address, format!("pinned.invalid:{}", server.port()));
    assert_eq!(server.connections_total(), 1);

    // The same target left to resolve the name stops at the lookup and contacts nothing.
    let report = diagnose::probe(&target(server.port(), None), STEP).await;
    assert!(!report.ok);
    assert_eq!(report.steps.len(), 1, "{report:#?}");
    assert!(!report.steps[0].ok);
    assert_eq!(server.connections_total(), 1);
}

#[tokio::test]
async fn an_empty_address_list_fails_at_the_lookup_step() {
    let report = diagnose::probe(&target(25, Some(Vec::new())), STEP).await;
    assert!(!report.ok);
    assert_eq!(report.steps.len(), 1, "{report:#?}");
    let dns = &report.steps[0];
    assert_eq!(dns.name, StepName::Dns);
    assert!(!dns.ok);
    assert!(
        dns.detail.contains("no address was given"),
        "{}",
        dns.detail
    );
}
