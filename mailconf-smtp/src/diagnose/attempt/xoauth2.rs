//! The probe's XOAUTH2 login: the token step (which grant, from the cache or just fetched),
//! then `AUTH XOAUTH2`, classified and hinted as a send's.

use std::sync::Arc;

use lettre::transport::smtp::client::AsyncSmtpConnection;
use mailconf_core::Message;

use super::{Fail, Run};
use crate::client::Failure;
use crate::client::xoauth2;
use crate::diagnose::StepName;
use crate::oauth2::TokenSource;
use crate::{OAuth2Login, Security};

/// The token source of a probe: one for all its attempts, so the token is fetched once.
pub(super) fn source(
    login: Option<&OAuth2Login>,
    limit: std::time::Duration,
) -> Option<Result<Arc<TokenSource>, String>> {
    let login = login?.clone();
    Some(TokenSource::new(login, limit).map(Arc::new))
}

impl Run<'_> {
    pub(super) async fn xoauth2(
        &mut self,
        conn: &mut AsyncSmtpConnection,
        mode: Security,
        encrypted: bool,
    ) {
        let Some(login) = self.target.oauth2.clone() else {
            return;
        };
        let grant = login.grant.name();
        if !encrypted && !self.target.plaintext_login {
            let fail = Fail::new(Message::new("probe-oauth2-unencrypted"))
                .hint(Message::new("probe-use-tls-to-login"));
            self.refuse(StepName::Login, mode, fail).await;
            return;
        }
        let source = match self.tokens.clone() {
            Some(Ok(source)) => source,
            Some(Err(reason)) => {
                let fail = Fail::new(
                    Message::new("probe-oauth2-setup-failed").arg("reason", reason.as_str()),
                );
                self.refuse(StepName::OAuth2Token, mode, fail).await;
                return;
            }
            None => return,
        };
        let classifier = self.classifier(mode);
        let token = async {
            match source.token().await {
                Ok(lease) => {
                    let id = if lease.fresh {
                        "probe-oauth2-token-obtained"
                    } else {
                        "probe-oauth2-token-reused"
                    };
                    Ok((lease, Message::new(id).arg("grant", grant)))
                }
                Err(e) => {
                    // The same detail, with its words from the catalog.
                    let mut fail = classifier.classify(Failure::token(&e));
                    fail.detail = e.message();
                    Err(fail)
                }
            }
        };
        let Ok(lease) = self.step(StepName::OAuth2Token, mode, token).await else {
            return;
        };
        let classifier = self.classifier(mode);
        let mailbox = login.mailbox.clone();
        let auth = async {
            match xoauth2::once(conn, &mailbox, &lease.token).await {
                Ok(_) => Ok((
                    (),
                    Message::new("probe-detail-logged-in-with")
                        .arg("user", mailbox.as_str())
                        .arg("mechanism", "XOAUTH2"),
                )),
                Err(failure) => Err(classifier.classify(failure)),
            }
        };
        let _ = self.step(StepName::Login, mode, auth).await;
    }
}
