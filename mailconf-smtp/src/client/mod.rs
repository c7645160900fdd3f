//! The SMTP client pieces a [`Mailer`](crate::Mailer) and a [`probe`](crate::diagnose::probe)
//! share, as lettre keeps its own under `transport/smtp/client/`: name lookup and TCP, TLS
//! parameters, telling a port that waits for TLS, classifying a failure with its hint, and the
//! dialogue log. A probe that passes therefore means a send gets through the same steps.

pub(crate) mod dialogue;
pub(crate) mod failure;
pub(crate) mod hint;
pub(crate) mod net;
mod provider_hint;
pub(crate) mod sniff;
pub(crate) mod tls;
#[cfg(feature = "oauth2")]
pub(crate) mod xoauth2;

pub(crate) use failure::{Failure, Progress};
pub(crate) use hint::Context;
pub(crate) use net::{MECHANISMS, client_id, resolve, tcp_connect};
pub(crate) use sniff::{FirstWords, first_words};
pub(crate) use tls::parameters as tls_parameters;
