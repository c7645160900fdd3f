//! The private instance's configuration files: Postfix's `main.cf` and `master.cf`, Dovecot's
//! `dovecot.conf` and its passwd-file.

use std::fmt::Write as _;
use std::path::Path;

use super::{DOMAIN, LOGIN, PASSWORD, Ports};

/// Account ids the virtual delivery agent writes the maildirs as (the `postfix` user: the
/// `virtual` agent refuses ids below 100, so not root).
#[derive(Debug, Clone, Copy)]
pub(super) struct Owner {
    pub uid: u32,
    pub gid: u32,
}

/// `main.cf`. Everything lives under `root`; nothing is relayed off the machine.
pub(super) fn main_cf(root: &Path, owner: Owner) -> String {
    let root = root.display();
    let Owner { uid, gid } = owner;
    format!(
        "# A private Postfix instance for mailconf's tests; removed when the tests end.
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.mailconf.test
mydomain = mailconf.test
mydestination =
mynetworks = 127.0.0.0/8
maillog_file = {root}/postfix.log
maillog_file_prefixes = {root}
alias_maps =
alias_database =
biff = no
notify_classes =
smtputf8_enable = no
# Mail for anything but {DOMAIN} is never sent anywhere.
default_transport = error:outbound mail is disabled in this test instance
relay_transport = error:outbound mail is disabled in this test instance
# Only inbox-*@{DOMAIN} exists (and the login); any other recipient is refused at RCPT.
virtual_mailbox_domains = {DOMAIN}
virtual_mailbox_base = {root}/mail
virtual_mailbox_maps = regexp:{root}/postfix/vmailbox
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
# Replies come at once: no tarpit after errors, so no test waits on Postfix's sleeps.
smtpd_error_sleep_time = 0
# One message per hour on the rate-limited listener: its second message gets a 4xx, however
# slow the machine is.
anvil_rate_time_unit = 3600s
smtpd_tls_cert_file = {root}/postfix/server.pem
smtpd_tls_key_file = {root}/postfix/server.key
smtpd_tls_session_cache_database =
# Received headers say whether TLS was used (the tests check it).
smtpd_tls_received_header = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {root}/dovecot/run/auth-postfix
"
    )
}

/// The regexp map of existing mailboxes.
pub(super) fn vmailbox() -> String {
    let domain = DOMAIN.replace('.', "\\.");
    let login = LOGIN.replace('.', "\\.");
    // Substitution ($1) is refused in mailbox paths, so all inboxes share one Maildir; the
    // `Delivered-To` header the virtual agent adds tells them apart.
    format!("/^{login}$/ {DOMAIN}/login/\n/^inbox-[a-z0-9-]+@{domain}$/ {DOMAIN}/inbox/\n")
}

/// `master.cf`: the four listeners, then Postfix's internal services, none chrooted.
pub(super) fn master_cf(ports: Ports) -> String {
    let auth = "-o smtpd_sasl_auth_enable=yes \
                -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject";
    let mut out = String::new();
    // Plain SMTP as on port 25: no AUTH, no TLS offered, mail from loopback accepted.
    let _ = writeln!(out, "127.0.0.1:{} inet n - n - - smtpd", ports.plain);
    // Submission: STARTTLS required, AUTH only after it.
    let _ = writeln!(
        out,
        "127.0.0.1:{} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt \
         -o smtpd_tls_auth_only=yes {auth}",
        ports.submission
    );
    // Submissions: TLS from the first byte.
    let _ = writeln!(
        out,
        "127.0.0.1:{} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes {auth}",
        ports.submissions
    );
    // Plain, one message per client per hour, loopback included.
    let _ = writeln!(
        out,
        "127.0.0.1:{} inet n - n - - smtpd -o smtpd_client_message_rate_limit=1 \
         -o smtpd_client_event_limit_exceptions=",
        ports.rate_limited
    );
    out.push_str(
        "pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
",
    );
    out
}

/// `dovecot.conf`: no mail protocols, only the auth service Postfix asks (`smtpd_sasl_type =
/// dovecot`), users from a passwd-file; with `oauth2`, also `XOAUTH2` and `OAUTHBEARER` through
/// the `oauth2` passdb ([`oauth2_conf`]).
pub(super) fn dovecot_conf(root: &Path, oauth2: bool) -> String {
    let root = root.display();
    let (mechanisms, oauth2_passdb) = if oauth2 {
        (
            "plain login xoauth2 oauthbearer",
            format!(
                "passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot/oauth2.conf.ext
}}
"
            ),
        )
    } else {
        ("plain login", String::new())
    };
    format!(
        "# A private Dovecot (SASL only) for mailconf's tests; removed when the tests end.
base_dir = {root}/dovecot/run
state_dir = {root}/dovecot/state
log_path = {root}/dovecot/dovecot.log
instance_name = mailconf-test-{pid}
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
# A wrong password is answered at once (the default waits 2 s).
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {root}/dovecot/users
}}
{oauth2_passdb}userdb {{
  driver = passwd-file
  args = {root}/dovecot/users
}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
",
        pid = std::process::id()
    )
}

/// The `oauth2` passdb's settings: every bearer is posted to `introspection_url` (RFC 7662,
/// the test's `TokenEndpoint`), which must answer `active: true` with the login as `username`.
/// Nothing is cached: a token the endpoint stops accepting is refused at the next login.
pub(super) fn oauth2_conf(introspection_url: &str) -> String {
    format!(
        "introspection_mode = post
introspection_url = {introspection_url}
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 10000
"
    )
}

/// Dovecot's passwd-file: the one login.
pub(super) fn dovecot_users() -> String {
    format!("{LOGIN}:{{PLAIN}}{PASSWORD}::::::\n")
}
