//! What this crate's unit tests share.

use mailconf_core::FromValue;

/// Each of `inputs` is refused by `T` with the error code `code`.
#[track_caller]
pub(crate) fn assert_rejects<T: FromValue + std::fmt::Debug>(inputs: &[&str], code: &str) {
    for input in inputs {
        match T::from_value(input) {
            Ok(value) => panic!("{input:?} was accepted as {value:?}"),
            Err(e) => assert_eq!(e.code, code, "{input:?}: {e}"),
        }
    }
}

/// The partial a loader would build for `c`, every field loaded.
pub(crate) fn connection_partial(
    c: &crate::connection::Connection,
) -> crate::connection::ConnectionPartial {
    crate::connection::ConnectionPartial {
        username: Some(c.username.clone()),
        password: Some(c.password.clone()),
        port: Some(c.port),
        server: Some(c.server.clone()),
        starttls: Some(c.starttls),
        ssl_tls: Some(c.ssl_tls),
        use_credentials: Some(c.use_credentials),
        url: Some(c.url.clone()),
        provider: Some(c.provider.clone()),
        allow_insecure_auth: Some(c.allow_insecure_auth),
        oauth2_token_url: Some(c.oauth2_token_url.clone()),
        oauth2_client_id: Some(c.oauth2_client_id.clone()),
        oauth2_client_secret: Some(c.oauth2_client_secret.clone()),
        oauth2_refresh_token: Some(c.oauth2_refresh_token.clone()),
        oauth2_scope: Some(c.oauth2_scope.clone()),
        oauth2_tenant: Some(c.oauth2_tenant.clone()),
        oauth2_service_account_file: Some(c.oauth2_service_account_file.clone()),
        access_token_file: Some(c.access_token_file.clone()),
    }
}
