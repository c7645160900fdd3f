//! The fault scenarios of docs/RELIABILITY.md, one constant each, and [`TABLE`], its rows in
//! order with their names.

use mailconf_smtp::Security;

use super::faults::{PLAIN, Scenario, WITH_AUTH};
use super::script::Act;
use super::script::Step::{Auth, Data, Ehlo, End, Greeting, Mail, Rcpt};

// -- connecting and greeting ------------------------------------------------------------------

/// `421` instead of the greeting, then the connection closes.
pub const GREETING_421: Scenario = Scenario::at(
    Greeting,
    Act::reply_then_close(421, "4.3.2 Service not available"),
);
/// The server accepts the connection and never greets.
pub const STALL_BEFORE_GREETING: Scenario = Scenario::at(Greeting, Act::Stall);
/// The server greets, then never answers `EHLO`.
pub const STALL_AFTER_GREETING: Scenario = Scenario::at(Ehlo, Act::Stall);

// -- TLS --------------------------------------------------------------------------------------

/// Implicit TLS: the server reads the `ClientHello` and never answers it.
pub const IMPLICIT_STALL_IN_HANDSHAKE: Scenario =
    Scenario::at(Greeting, Act::ReadHelloThenStall).login(Security::ImplicitTls, PLAIN);
/// STARTTLS: `220 Ready`, then the server reads the `ClientHello` and never answers it.
pub const STARTTLS_STALL_IN_HANDSHAKE: Scenario = Scenario::starttls(Act::ReadyThenStall);
/// STARTTLS advertised, then refused with `454` (a temporary refusal).
pub const STARTTLS_454: Scenario = Scenario::starttls(Act::reply(454, "4.7.0 TLS not available"));
/// STARTTLS advertised, answered with a line that is no SMTP reply.
pub const STARTTLS_GARBAGE_REPLY: Scenario = Scenario::starttls(Act::Garbage);
/// STARTTLS advertised, `220`, then bytes that are not TLS.
pub const STARTTLS_GARBAGE_HANDSHAKE: Scenario = Scenario::starttls(Act::ReadyThenGarbage);

// -- login and envelope -----------------------------------------------------------------------

/// `AUTH` answered `535`.
pub const AUTH_535: Scenario = Scenario::at(
    Auth,
    Act::reply(535, "5.7.8 Authentication credentials invalid"),
)
.login(Security::Plain, WITH_AUTH);
/// The connection closes at `MAIL FROM`, on the first attempt only.
pub const DROP_BEFORE_DATA: Scenario = Scenario::at(Mail, Act::Close).once();
/// `451` at `RCPT TO`, on the first attempt only.
pub const RCPT_451_ONCE: Scenario = Scenario::at(Rcpt, Act::reply(451, "4.7.1 Greylisted")).once();
/// `452` at `RCPT TO`, on every attempt.
pub const RCPT_452_ALWAYS: Scenario =
    Scenario::at(Rcpt, Act::reply(452, "4.5.3 Too many recipients"));
/// `550` at `RCPT TO`.
pub const RCPT_550: Scenario = Scenario::at(Rcpt, Act::reply(550, "5.1.1 No such user"));

// -- the message ------------------------------------------------------------------------------

/// The connection closes in the middle of the message, on the first attempt only.
pub const DROP_MID_MESSAGE: Scenario = Scenario::at(Data, Act::CloseMidMessage).once();
/// The connection closes after the final `.`, before the reply, on the first attempt only.
pub const DROP_AFTER_DOT: Scenario = Scenario::at(End, Act::CloseAfterDot).once();
/// The connection closes after the final `.`, before the reply, on every attempt.
pub const DROP_AFTER_DOT_ALWAYS: Scenario = Scenario::at(End, Act::CloseAfterDot);
/// `452` after the final `.`, on every attempt.
pub const END_452_ALWAYS: Scenario =
    Scenario::at(End, Act::reply(452, "4.3.1 Insufficient system storage"));
/// `554` after the final `.`.
pub const END_554: Scenario = Scenario::at(End, Act::reply(554, "5.6.0 Rejected as spam"));
/// `354`, positive but not `2xx`, after the final `.`.
pub const END_354: Scenario = Scenario::at(End, Act::reply(354, "what?"));
/// No reply after the final `.`.
pub const STALL_AFTER_DOT: Scenario = Scenario::at(End, Act::Stall);

/// Every scenario with its name, in the order of the table in docs/RELIABILITY.md.
pub const TABLE: [(&str, &Scenario); 20] = [
    ("421 on connect", &GREETING_421),
    ("server accepts TCP, never greets", &STALL_BEFORE_GREETING),
    (
        "server greets, then never answers EHLO",
        &STALL_AFTER_GREETING,
    ),
    (
        "implicit TLS: server reads the ClientHello, never answers",
        &IMPLICIT_STALL_IN_HANDSHAKE,
    ),
    (
        "STARTTLS: `220 Ready`, reads the ClientHello, never answers",
        &STARTTLS_STALL_IN_HANDSHAKE,
    ),
    ("STARTTLS advertised, then refused with 454", &STARTTLS_454),
    (
        "STARTTLS advertised, garbage instead of a reply",
        &STARTTLS_GARBAGE_REPLY,
    ),
    (
        "STARTTLS advertised, `220`, then garbage instead of TLS",
        &STARTTLS_GARBAGE_HANDSHAKE,
    ),
    ("AUTH answered 535", &AUTH_535),
    (
        "connection dropped at MAIL FROM, first attempt",
        &DROP_BEFORE_DATA,
    ),
    ("451 at RCPT, first attempt", &RCPT_451_ONCE),
    ("452 at RCPT, every attempt", &RCPT_452_ALWAYS),
    ("550 at RCPT", &RCPT_550),
    (
        "connection dropped before the final `.`, first attempt",
        &DROP_MID_MESSAGE,
    ),
    (
        "connection dropped after the final `.`, before the reply, first attempt",
        &DROP_AFTER_DOT,
    ),
    (
        "connection dropped after the final `.`, every attempt",
        &DROP_AFTER_DOT_ALWAYS,
    ),
    ("452 after DATA, every attempt", &END_452_ALWAYS),
    ("554 after DATA", &END_554),
    (
        "positive but not 2xx (354) reply to the final `.`",
        &END_354,
    ),
    ("server silent after the final `.`", &STALL_AFTER_DOT),
];
