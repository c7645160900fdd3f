//! Shared by the test files: building the app, starting it next to mailconf's dev SMTP server,
//! sending requests in-process or over a socket, and checks every response must pass.
// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod browser;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use mailconf_smtp::dev_server::{DevServer, DevTls};
use serde_json::{Value, json};
pub use settings_page::Options;
use settings_page::{AppState, app};
use tempfile::TempDir;
use tower::ServiceExt;

pub const TOKEN: &str = "test-admin-token-5c1f0e7a9b";
/// Distinctive, so that finding it in any response body means it leaked.
pub const PASSWORD: &str = "Pw-9xQ'distinctive-Zk27-never-echoed";
/// The address the in-process app believes it listens on.
pub const BOUND: &str = "127.0.0.1:8088";

pub fn options(env_file: &Path, allow_hosts: &[&str]) -> Options {
    Options {
        env_file: env_file.to_owned(),
        token: TOKEN.to_owned(),
        allow_hosts: allow_hosts.iter().map(|h| (*h).to_owned()).collect(),
        origins: Vec::new(),
        files_dir: None,
        allow_ports: Vec::new(),
    }
}

/// An in-process app saving to `dir/mail.env`.
pub fn test_app(dir: &Path, allow_hosts: &[&str]) -> (Router, PathBuf) {
    let env_file = dir.join("mail.env");
    let state = AppState::new(options(&env_file, allow_hosts), BOUND.parse().unwrap()).unwrap();
    (app(state), env_file)
}

/// A page listening on 127.0.0.1:0; stops when dropped.
pub struct Page {
    pub addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn start_page(env_file: &Path, allow_hosts: &[&str]) -> Page {
    start_page_with(options(env_file, allow_hosts)).await
}

/// A page listening on 127.0.0.1:0 started with `options`; stops when dropped.
pub async fn start_page_with(options: Options) -> Page {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(options, addr).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        settings_page::serve(listener, state, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Page { addr, _stop: stop }
}

/// A listening page next to mailconf's dev SMTP server (STARTTLS, user `app@example.com` with
/// [`PASSWORD`]), sharing one temporary directory.
pub struct WithSmtp {
    pub page: Page,
    pub smtp: DevServer,
    /// Where the page saves: `<dir>/mail.env`, not there yet.
    pub env_file: PathBuf,
    /// The dev server's CA certificate, for `MAIL_CA_FILE`.
    pub ca_file: PathBuf,
    /// Removed when dropped, after the page and the server have stopped.
    pub dir: TempDir,
}

/// Starts the dev SMTP server and a page that may test connections to `allow_hosts`.
pub async fn page_with_smtp(allow_hosts: &[&str]) -> WithSmtp {
    let dir = tempfile::tempdir().unwrap();
    let smtp = DevServer::builder()
        .tls(DevTls::StartTls)
        .user("app@example.com", PASSWORD)
        .start()
        .await
        .unwrap();
    let ca_file = smtp.write_ca_file(dir.path()).unwrap();
    let env_file = dir.path().join("mail.env");
    // The dev server's port is not an SMTP port: allowed explicitly, as an admin would.
    // MAIL_CA_FILE must name a file in --files-dir: the temporary directory holding it.
    let page = start_page_with(Options {
        allow_ports: vec![smtp.port()],
        files_dir: Some(dir.path().to_owned()),
        ..options(&env_file, allow_hosts)
    })
    .await;
    WithSmtp {
        page,
        smtp,
        env_file,
        ca_file,
        dir,
    }
}

/// Settings that load: STARTTLS on 587 with a login.
pub fn valid_settings() -> Value {
    json!({
        "MAIL_USERNAME": "app@example.com",
        "MAIL_PASSWORD": PASSWORD,
        "MAIL_FROM": "app@example.com",
        "MAIL_FROM_NAME": "Example App",
        "MAIL_PORT": 587,
        "MAIL_SERVER": "smtp.example.com",
        "MAIL_STARTTLS": true,
        "MAIL_SSL_TLS": false,
        "USE_CREDENTIALS": true,
        "VALIDATE_CERTS": true,
        "TIMEOUT": "30s",
    })
}

/// One request, with the token, Host and (for POST) Origin of a well-behaved page unless a
/// test changes them.
pub struct Req {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    pub fn get(path: &str) -> Req {
        Req {
            method: Method::GET,
            path: path.to_owned(),
            headers: vec![
                ("authorization".into(), format!("Bearer {TOKEN}")),
                ("host".into(), BOUND.into()),
            ],
            body: Vec::new(),
        }
    }

    pub fn post(path: &str, body: &Value) -> Req {
        let mut req = Req::get(path);
        req.method = Method::POST;
        req.headers
            .push(("origin".into(), format!("http://{BOUND}")));
        req.raw("application/json", body.to_string().into_bytes())
    }

    pub fn method(mut self, method: Method) -> Req {
        self.method = method;
        self
    }

    /// Sets a header, or removes it when `value` is `None`.
    pub fn header(mut self, name: &str, value: Option<&str>) -> Req {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            self.headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn raw(self, content_type: &str, body: Vec<u8>) -> Req {
        let mut req = self.header("content-type", Some(content_type));
        req.body = body;
        req
    }

    /// For a real server: its address in Host and Origin, where they have the default value.
    pub fn at(mut self, addr: SocketAddr) -> Req {
        for (name, value) in &mut self.headers {
            if name == "host" && value == BOUND {
                *value = addr.to_string();
            } else if name == "origin" && *value == format!("http://{BOUND}") {
                *value = format!("http://{addr}");
            }
        }
        self
    }

    fn request<B>(self, uri: String, body: impl FnOnce(Vec<u8>) -> B) -> Request<B> {
        let mut builder = Request::builder().method(self.method).uri(uri);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.body(body(self.body)).unwrap()
    }

    /// Through the router in-process.
    pub async fn send(self, app: &Router) -> Reply {
        let path = self.path.clone();
        let request = self.request(path, Body::from);
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply::new(status, headers, &bytes)
    }

    /// Over a real socket to a listening server.
    pub async fn send_to(self, addr: SocketAddr) -> Reply {
        use hyper_util::client::legacy::Client;
        use hyper_util::rt::TokioExecutor;
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        let uri = format!("http://{addr}{}", self.path);
        let request = self.at(addr).request(uri, |b| Full::new(Bytes::from(b)));
        let response = client.request(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply::new(status, headers, &bytes)
    }
}

/// A response, checked on arrival.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    fn new(status: StatusCode, headers: HeaderMap, bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        assert!(
            !text.contains(PASSWORD) && !text.contains("distinctive-Zk27"),
            "a response carries the password: {status} {text}"
        );
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let csp = header(header::CONTENT_SECURITY_POLICY).unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "CSP: {csp:?}");
        assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
        assert_eq!(header(header::REFERRER_POLICY), Some("no-referrer"));
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// An API answer: JSON, never cached, `success` as expected.
    pub fn api(&self, status: StatusCode, success: bool) -> &Value {
        self.json_of(status);
        assert_eq!(self.json["success"], json!(success), "{}", self.text);
        if !success {
            assert!(self.json["error"].is_string(), "{}", self.text);
        }
        &self.json
    }

    /// A JSON answer that is never cached.
    pub fn json_of(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        assert!(
            self.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        &self.json
    }

    /// A refusal: an API answer with `success: false`, `status` and the error `code`.
    pub fn refused(&self, status: StatusCode, code: &str) -> &Value {
        self.api(status, false);
        assert_eq!(self.json["code"], code, "{}", self.text);
        &self.json
    }

    /// The error entries of a 422, as (key, code).
    pub fn problems(&self) -> Vec<(String, String)> {
        self.api(StatusCode::UNPROCESSABLE_ENTITY, false);
        self.json["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["key"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// The error about `key`.
    pub fn problem(&self, key: &str) -> &Value {
        self.json["errors"]
            .as_array()
            .and_then(|list| list.iter().find(|e| e["key"] == key))
            .unwrap_or_else(|| panic!("no error for {key}: {}", self.text))
    }
}

/// `settings` with the keys of `changes` replaced.
pub fn with(mut settings: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        settings[k] = v.clone();
    }
    settings
}
