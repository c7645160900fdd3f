//! The probe's XOAUTH2 login: the token step (which grant, from the cache or just fetched),
//! then `AUTH XOAUTH2`, classified and hinted as a send's.

use std::sync::Arc;

use lettre::transport::smtp::client::AsyncSmtpConnection;

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
            let fail = Fail::new("not attempted: the access token would travel unencrypted")
                .hint("use STARTTLS or implicit TLS, which the server's TLS port offers");
            self.refuse(StepName::Login, mode, fail).await;
            return;
        }
        let source = match self.tokens.clone() {
            Some(Ok(source)) => source,
            Some(Err(reason)) => {
                let fail = Fail::new(format!("cannot set up the OAuth2 login: {reason}"));
                self.refuse(StepName::OAuth2Token, mode, fail).await;
                return;
            }
            None => return,
        };
        let classifier = self.classifier(mode);
        let token = async {
            match source.token().await {
                Ok(lease) => {
                    let how = if lease.fresh {
                        "obtained"
                    } else {
                        "reused from the first attempt"
                    };
                    Ok((lease, format!("access token {how} with the {grant} grant")))
                }
                Err(e) => Err(classifier.classify(Failure::token(&e))),
            }
        };
        let Ok(lease) = self.step(StepName::OAuth2Token, mode, token).await else {
            return;
        };
        let classifier = self.classifier(mode);
        let mailbox = login.mailbox.clone();
        let auth = async {
            match xoauth2::once(conn, &mailbox, &lease.token).await {
                Ok(_) => Ok(((), format!("logged in as {mailbox} with XOAUTH2"))),
                Err(failure) => Err(classifier.classify(failure)),
            }
        };
        let _ = self.step(StepName::Login, mode, auth).await;
    }
}
