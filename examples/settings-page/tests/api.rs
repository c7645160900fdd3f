//! Every endpoint, driven in-process through the router. Every response is checked for the
//! password and the security headers (see `common::Reply`).

mod common;

use std::os::unix::fs::PermissionsExt;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use common::{PASSWORD, Req, TOKEN, test_app, valid_settings};
use mailconf_core::{MailConfig, Sources};
use mailconf_smtp::{Security, SmtpConfig, SmtpSettings};
use serde_json::{Value, json};

fn saved_pairs(path: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    dotenvy::from_read_iter(text.as_bytes())
        .map(Result::unwrap)
        .collect()
}

fn with(mut settings: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        settings[k] = v.clone();
    }
    settings
}

/// Saves `settings`, which must succeed; returns the answer.
async fn save(app: &Router, settings: &Value) -> Value {
    let reply = Req::post("/api/config", settings).send(app).await;
    reply.api(StatusCode::OK, true).clone()
}

/// What `GET /api/config` answers, which must succeed.
async fn saved_config(app: &Router) -> Value {
    let reply = Req::get("/api/config").send(app).await;
    reply.api(StatusCode::OK, true).clone()
}

// --- The page and its assets -------------------------------------------------------------

#[tokio::test]
async fn the_page_and_its_assets_are_served_without_inline_script() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let page = Req::get("/").header("authorization", None).send(&app).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.text
            .contains(r#"<script src="/app.js" defer></script>"#)
    );
    assert!(page.text.contains(r#"href="/style.css""#));
    assert!(
        page.text
            .contains(r#"<script src="/words.js" defer></script>"#)
    );
    // Besides the external scripts, only the page's words as JSON, which never runs.
    assert_eq!(
        page.text.matches("<script").count(),
        3,
        "only the external scripts and the words"
    );
    assert!(
        page.text
            .contains(r#"<script type="application/json" id="words-json">"#)
    );
    assert!(!page.text.contains("style="), "no inline style");
    for (path, kind) in [
        ("/app.js", "text/javascript"),
        ("/words.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let asset = Req::get(path)
            .header("authorization", None)
            .send(&app)
            .await;
        assert_eq!(asset.status, StatusCode::OK);
        assert!(
            asset.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
    }
    let missing = Req::get("/nothing-here").send(&app).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_schema_describes_every_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let reply = Req::get("/api/schema").send(&app).await;
    let schema = reply.json_of(StatusCode::OK).clone();
    let props = &schema["properties"];
    assert_eq!(props["MAIL_PASSWORD"]["writeOnly"], true);
    assert_eq!(props["MAIL_PASSWORD"]["format"], "password");
    assert_eq!(props["USE_CREDENTIALS"]["default"], true);
    assert_eq!(props["MAIL_PORT"]["x-mailconf-type"], "port");
    assert!(
        props["MAIL_SERVER"]["description"]
            .as_str()
            .unwrap()
            .contains("SMTP server host name")
    );
    let order: Vec<&str> = schema["x-order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(order[0], "MAIL_USERNAME");
    for key in props.as_object().unwrap().keys() {
        assert!(order.contains(&key.as_str()), "{key} is not in x-order");
    }
}

/// The Encryption choices come from mailconf_smtp's table: each mode's flags select that mode,
/// and its port is the mode's usual one.
#[tokio::test]
async fn the_tls_modes_of_the_form_are_mailconf_smtps() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _env_file) = test_app(dir.path(), &[]);
    let reply = Req::get("/api/schema").send(&app).await;
    let schema = reply.json_of(StatusCode::OK).clone();
    let modes = schema["x-tls-modes"].as_array().unwrap();
    assert_eq!(modes.len(), Security::ALL.len());
    for (mode, security) in modes.iter().zip(Security::ALL) {
        assert_eq!(mode["value"], serde_json::to_value(security).unwrap());
        let flags = &mode["flags"];
        let (starttls, ssl_tls) = (flags[0].as_bool().unwrap(), flags[1].as_bool().unwrap());
        assert_eq!(
            Security::from_flags(starttls, ssl_tls),
            Some(security),
            "{mode}"
        );
        assert_eq!(mode["port"], security.default_port().get(), "{mode}");
    }
}

#[tokio::test]
async fn the_schema_offers_the_provider_presets_and_a_filled_form_saves() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _env_file) = test_app(dir.path(), &[]);
    let reply = Req::get("/api/schema").send(&app).await;
    let schema = reply.json_of(StatusCode::OK).clone();
    let presets = schema["x-providers"].as_array().unwrap();
    assert_eq!(presets.len(), mailconf_smtp::Provider::all().len());
    for preset in presets {
        let provider = mailconf_smtp::Provider::find(preset["id"].as_str().unwrap()).unwrap();
        assert_eq!(preset["host"], provider.host, "{preset}");
        assert_eq!(preset["port"], provider.preset().port, "{preset}");
        assert_eq!(
            preset["tls"],
            serde_json::to_value(provider.preset().security).unwrap(),
            "{preset}"
        );
    }
    // What the page sends after choosing Gmail: the preset's fields, the flags of its mode
    // from x-tls-modes.
    let gmail = presets.iter().find(|p| p["id"] == "gmail").unwrap();
    let mode = schema["x-tls-modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["value"] == gmail["tls"])
        .unwrap();
    let settings = with(
        valid_settings(),
        json!({
            "MAIL_SERVER": gmail["host"],
            "MAIL_PORT": gmail["port"],
            "MAIL_STARTTLS": mode["flags"][0],
            "MAIL_SSL_TLS": mode["flags"][1],
        }),
    );
    save(&app, &settings).await;
    let saved = saved_config(&app).await;
    assert_eq!(
        saved["values"]["MAIL_SERVER"], "smtp.gmail.com",
        "{saved:#}"
    );
}

// --- Saving --------------------------------------------------------------------------------

#[tokio::test]
async fn valid_settings_are_saved_0600_and_load_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    let settings = with(valid_settings(), json!({"VALIDATE_CERTS": false}));
    let body = save(&app, &settings).await;
    let warnings = body["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["key"] == "VALIDATE_CERTS"),
        "{warnings:?}"
    );

    let mode = std::fs::metadata(&env_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let pairs = saved_pairs(&env_file);
    assert!(pairs.contains(&("MAIL_PASSWORD".into(), PASSWORD.into())));
    assert!(pairs.contains(&("MAIL_PORT".into(), "587".into())));
    assert!(pairs.contains(&("MAIL_STARTTLS".into(), "true".into())));
    assert_eq!(pairs[0].0, "MAIL_USERNAME", "declaration order");
    let text = std::fs::read_to_string(&env_file).unwrap();
    assert!(text.contains("MAIL_SERVER='smtp.example.com'\n"), "{text}");

    let config = SmtpConfig::load(&Sources::new().dotenv(&env_file)).unwrap();
    let credentials = config.credentials().unwrap();
    assert_eq!(credentials.password.expose_secret(), PASSWORD);
    assert_eq!(config.endpoint().port.get(), 587);
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left");
}

#[tokio::test]
async fn the_usual_page_body_without_tls_fields_lists_every_missing_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    let body = json!({
        "MAIL_USERNAME": "app@example.com",
        "MAIL_PASSWORD": PASSWORD,
        "MAIL_FROM": "app@example.com",
        "MAIL_PORT": 587,
        "USE_CREDENTIALS": true,
    });
    let reply = Req::post("/api/config", &body).send(&app).await;
    let problems = reply.problems();
    for key in ["MAIL_SERVER", "MAIL_STARTTLS", "MAIL_SSL_TLS"] {
        assert!(
            problems.contains(&(key.to_owned(), "missing".to_owned())),
            "{key}: {problems:?}"
        );
        let error = reply.problem(key);
        assert!(error["message"].is_string());
        assert!(error["hint"].as_str().unwrap().contains(key), "{error}");
    }
    assert!(!env_file.exists(), "nothing is saved");
}

#[tokio::test]
async fn the_old_tls_keys_are_renamed_key_errors_naming_the_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let mut settings = valid_settings();
    let object = settings.as_object_mut().unwrap();
    object.remove("MAIL_STARTTLS");
    object.remove("MAIL_SSL_TLS");
    object.insert("MAIL_TLS".into(), json!(true));
    object.insert("MAIL_SSL".into(), json!(false));
    let reply = Req::post("/api/config", &settings).send(&app).await;
    let problems = reply.problems();
    for (old, new) in [("MAIL_TLS", "MAIL_STARTTLS"), ("MAIL_SSL", "MAIL_SSL_TLS")] {
        assert!(problems.contains(&(old.to_owned(), "renamed_key".to_owned())));
        let error = reply.problem(old);
        assert!(error["message"].as_str().unwrap().contains(new), "{error}");
        assert!(error["hint"].as_str().unwrap().contains(new), "{error}");
        assert!(problems.contains(&(new.to_owned(), "missing".to_owned())));
    }
}

#[tokio::test]
async fn both_tls_flags_are_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let settings = with(valid_settings(), json!({"MAIL_SSL_TLS": true}));
    let reply = Req::post("/api/config", &settings).send(&app).await;
    let problems = reply.problems();
    assert!(
        problems
            .iter()
            .any(|(k, c)| k == "MAIL_STARTTLS" && c == "conflict"),
        "{problems:?}"
    );
}

#[tokio::test]
async fn every_problem_is_reported_at_once_with_non_secret_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let settings = with(
        valid_settings(),
        json!({"MAIL_PORT": "abc", "MAIL_FROM": "not-an-address", "MAIL_POOL_SIZE": 0,
               "MAIL_URL": format!("ftp://user:{PASSWORD}@x")}),
    );
    let reply = Req::post("/api/config", &settings).send(&app).await;
    let problems = reply.problems();
    for key in ["MAIL_PORT", "MAIL_FROM", "MAIL_POOL_SIZE", "MAIL_URL"] {
        assert!(
            problems.iter().any(|(k, _)| k == key),
            "{key}: {problems:?}"
        );
    }
    let port = reply.problem("MAIL_PORT");
    assert_eq!(port["code"], "invalid_value");
    assert_eq!(port["input"], "abc");
    assert!(
        port["message"].is_string() && port["hint"].is_string(),
        "{port}"
    );
    assert_eq!(reply.problem("MAIL_URL")["input"], "[redacted]");
}

#[tokio::test]
async fn an_invalid_save_leaves_the_saved_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    save(&app, &valid_settings()).await;
    let before = std::fs::read(&env_file).unwrap();
    let broken = with(valid_settings(), json!({"MAIL_PORT": 0}));
    Req::post("/api/config", &broken)
        .send(&app)
        .await
        .problems();
    assert_eq!(std::fs::read(&env_file).unwrap(), before);
}

#[tokio::test]
async fn values_that_cannot_be_written_exactly_are_refused_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    let settings = with(
        valid_settings(),
        json!({"MAIL_USERNAME": "app\n@example.com", "MAIL_PASSWORD": format!("{PASSWORD}\nX=1")}),
    );
    let reply = Req::post("/api/config", &settings).send(&app).await;
    for key in ["MAIL_USERNAME", "MAIL_PASSWORD"] {
        let error = reply.problem(key);
        assert_eq!(error["detail"], "not_writable", "{error}");
        assert!(error["input"].is_null(), "{error}");
    }
    assert!(!env_file.exists());

    // Quotes, dollars, hashes and backslashes are kept exactly.
    for tricky in ["$HOME #1 \\n \"q\" ${x", "it's O'Brien's #1 ''"] {
        let settings = with(valid_settings(), json!({"MAIL_FROM_NAME": tricky}));
        save(&app, &settings).await;
        assert!(saved_pairs(&env_file).contains(&("MAIL_FROM_NAME".into(), tricky.into())));
    }

    // What no quoting carries to every reader is refused, naming the character.
    for (value, named) in [
        ("it's $5", "a dollar sign ($)"),
        ("\\'", "a backslash (\\)"),
        ("${HOME}", "${…}"),
    ] {
        let settings = with(valid_settings(), json!({"MAIL_FROM_NAME": value}));
        let reply = Req::post("/api/config", &settings).send(&app).await;
        let error = reply.problem("MAIL_FROM_NAME");
        assert_eq!(error["detail"], "not_writable", "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(named), "{value}: {message}");
        assert!(!message.contains("line break"), "{value}: {message}");
    }
}

#[tokio::test]
async fn a_failed_save_keeps_the_previous_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let settings_dir = dir.path().join("conf");
    std::fs::create_dir(&settings_dir).unwrap();
    let (app, env_file) = test_app(&settings_dir, &[]);
    save(&app, &valid_settings()).await;
    let before = std::fs::read(&env_file).unwrap();

    // Root ignores permissions, so the directory is replaced by a file: nothing can be created
    // in it, for anyone.
    let aside = dir.path().join("conf.aside");
    std::fs::rename(&settings_dir, &aside).unwrap();
    std::fs::write(&settings_dir, "not a directory").unwrap();
    let changed = with(valid_settings(), json!({"MAIL_FROM_NAME": "Changed"}));
    let reply = Req::post("/api/config", &changed).send(&app).await;
    let body = reply.refused(StatusCode::INTERNAL_SERVER_ERROR, "not_saved");
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("NOT saved"), "{message}");
    assert!(
        message.contains("previous settings file is unchanged"),
        "{message}"
    );

    std::fs::remove_file(&settings_dir).unwrap();
    std::fs::rename(&aside, &settings_dir).unwrap();
    assert_eq!(std::fs::read(&env_file).unwrap(), before);
    let config = saved_config(&app).await;
    assert_eq!(config["values"]["MAIL_FROM_NAME"], "Example App");
    let names: Vec<_> = std::fs::read_dir(&settings_dir).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left");
}

#[tokio::test]
async fn a_path_under_a_file_cannot_be_saved_to() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let (app, _) = test_app(&file, &[]);
    let reply = Req::post("/api/config", &valid_settings()).send(&app).await;
    assert!(
        reply.api(StatusCode::INTERNAL_SERVER_ERROR, false)["error"]
            .as_str()
            .unwrap()
            .contains("NOT saved")
    );
}

// --- Reading back and the password ---------------------------------------------------------

#[tokio::test]
async fn get_config_returns_the_saved_values_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let body = saved_config(&app).await;
    assert_eq!(body["saved"], false);
    assert_eq!(body["password_set"], false);

    save(&app, &valid_settings()).await;
    let body = saved_config(&app).await;
    assert_eq!(body["saved"], true);
    assert_eq!(body["password_set"], true);
    assert_eq!(body["secrets_set"]["MAIL_PASSWORD"], true);
    assert_eq!(body["secrets_set"]["MAIL_URL"], false);
    let values = body["values"].as_object().unwrap();
    assert_eq!(values["MAIL_SERVER"], "smtp.example.com");
    assert_eq!(values["MAIL_PORT"], "587");
    assert!(!values.contains_key("MAIL_PASSWORD"));
}

#[tokio::test]
async fn the_unchanged_marker_keeps_the_saved_password() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    save(&app, &valid_settings()).await;
    let edit = with(
        valid_settings(),
        json!({"MAIL_PASSWORD": {"unchanged": true}, "MAIL_FROM_NAME": "Renamed"}),
    );
    save(&app, &edit).await;
    let pairs = saved_pairs(&env_file);
    assert!(pairs.contains(&("MAIL_PASSWORD".into(), PASSWORD.into())));
    assert!(pairs.contains(&("MAIL_FROM_NAME".into(), "Renamed".into())));

    // A string that looks like the marker is a password like any other.
    let literal = r#"{"unchanged": true}"#;
    let set = with(valid_settings(), json!({"MAIL_PASSWORD": literal}));
    save(&app, &set).await;
    assert!(saved_pairs(&env_file).contains(&("MAIL_PASSWORD".into(), literal.into())));

    // null removes it; then the marker has nothing to keep and the password is missing.
    let forget = with(
        valid_settings(),
        json!({"MAIL_PASSWORD": null, "USE_CREDENTIALS": false}),
    );
    save(&app, &forget).await;
    assert_eq!(saved_config(&app).await["password_set"], false);
    let keep = with(
        valid_settings(),
        json!({"MAIL_PASSWORD": {"unchanged": true}}),
    );
    let reply = Req::post("/api/config", &keep).send(&app).await;
    assert!(
        reply
            .problems()
            .contains(&("MAIL_PASSWORD".into(), "missing".into()))
    );
}

#[tokio::test]
async fn an_unexpected_object_is_an_error_not_a_marker() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let settings = with(
        valid_settings(),
        json!({"MAIL_PASSWORD": {"unchanged": false}, "MAIL_SERVER": {"unchanged": true}}),
    );
    let problems = Req::post("/api/config", &settings)
        .send(&app)
        .await
        .problems();
    assert!(
        problems.iter().any(|(k, _)| k == "MAIL_PASSWORD"),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|(k, _)| k == "MAIL_SERVER"),
        "{problems:?}"
    );
}

// --- Access --------------------------------------------------------------------------------

#[tokio::test]
async fn every_api_call_needs_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &["127.0.0.1"]);
    let calls = || {
        [
            Req::get("/api/schema"),
            Req::get("/api/config"),
            Req::post("/api/config", &valid_settings()),
            Req::post("/api/config/test", &valid_settings()),
            Req::get("/api/unknown"),
        ]
    };
    let wrong = format!("Bearer {TOKEN}x");
    let basic = format!("Basic {TOKEN}");
    for (auth, code) in [
        (None, "missing_token"),
        (Some(wrong.as_str()), "wrong_token"),
        (Some("Bearer "), "wrong_token"),
        (Some(basic.as_str()), "missing_token"),
    ] {
        // A fresh page each time: five wrong tokens are all one client may send in a row.
        let (app, _) = test_app(dir.path(), &["127.0.0.1"]);
        for req in calls() {
            let reply = req.header("authorization", auth).send(&app).await;
            reply.refused(StatusCode::UNAUTHORIZED, code);
            assert!(reply.headers.contains_key(header::WWW_AUTHENTICATE));
        }
    }
    assert!(!env_file.exists());
    let lower = Req::get("/api/config").header("authorization", Some(&format!("bearer {TOKEN}")));
    lower.send(&app).await.api(StatusCode::OK, true);
}

#[tokio::test]
async fn cross_origin_and_foreign_host_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    for origin in [
        Some("http://evil.example"),
        Some("http://127.0.0.1:8089"),
        Some("null"),
        None,
    ] {
        Req::post("/api/config", &valid_settings())
            .header("origin", origin)
            .send(&app)
            .await
            .refused(StatusCode::FORBIDDEN, "cross_origin");
    }
    // A rebinding attack names its own host.
    let foreign = [
        Req::get("/api/config").header("host", Some("evil.example:8088")),
        Req::post("/api/config", &valid_settings())
            .header("host", Some("evil.example:8088"))
            .header("origin", Some("http://evil.example:8088")),
    ];
    for req in foreign {
        let reply = req.send(&app).await;
        reply.refused(StatusCode::FORBIDDEN, "untrusted_host");
    }
    assert!(!env_file.exists());

    // localhost is the same page as 127.0.0.1.
    Req::post("/api/config", &valid_settings())
        .header("host", Some("localhost:8088"))
        .header("origin", Some("http://localhost:8088"))
        .send(&app)
        .await
        .api(StatusCode::OK, true);
}

// --- Bodies ----------------------------------------------------------------------------------

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let dir = tempfile::tempdir().unwrap();
    let (app, env_file) = test_app(dir.path(), &[]);
    let big = with(
        valid_settings(),
        json!({"MAIL_FROM_NAME": "x".repeat(70 * 1024)}),
    );
    for path in ["/api/config", "/api/config/test"] {
        let reply = Req::post(path, &big).send(&app).await;
        reply.refused(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    }
    assert!(!env_file.exists());
}

#[tokio::test]
async fn bodies_that_are_not_a_json_object_get_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    let form = b"MAIL_SERVER=smtp.example.com".to_vec();
    let cases: Vec<(Req, StatusCode, &str)> = vec![
        (
            Req::post("/api/config", &json!({})).raw("text/plain", form.clone()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
        ),
        (
            Req::post("/api/config", &json!({}))
                .raw("application/x-www-form-urlencoded", form.clone()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
        ),
        (
            Req::post("/api/config", &json!({})).header("content-type", None),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
        ),
        (
            Req::post("/api/config", &json!({})).raw(
                "application/json; charset=utf-8",
                format!(r#"{{"MAIL_PASSWORD": "{PASSWORD}"#).into_bytes(),
            ),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Req::post("/api/config/test", &json!([1, 2])),
            StatusCode::BAD_REQUEST,
            "not_an_object",
        ),
        (
            Req::post("/api/config", &json!({})).raw("application/json", vec![0xff, 0xfe]),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
    ];
    for (req, status, code) in cases {
        req.send(&app).await.refused(status, code);
    }
}

#[tokio::test]
async fn unknown_endpoints_and_methods_answer_json() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &[]);
    Req::get("/api/nope")
        .send(&app)
        .await
        .refused(StatusCode::NOT_FOUND, "not_found");
    Req::post("/api/config", &valid_settings())
        .method(Method::PUT)
        .send(&app)
        .await
        .refused(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

// --- The connection test: who may be contacted ---------------------------------------------

#[tokio::test]
async fn the_test_refuses_hosts_outside_the_allow_list() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &["smtp.example.com"]);
    for server in [
        "127.0.0.1",
        "localhost",
        "10.0.0.1",
        "169.254.169.254",
        "[::1]",
    ] {
        let settings = with(valid_settings(), json!({"MAIL_SERVER": server}));
        let reply = Req::post("/api/config/test", &settings).send(&app).await;
        let body = reply.refused(StatusCode::FORBIDDEN, "host_not_allowed");
        let message = body["error"].as_str().unwrap();
        assert!(message.contains("--allow-host"), "{message}");
        assert!(message.contains("smtp.example.com"), "{message}");
    }
    // MAIL_URL names the host just the same.
    let settings = json!({"MAIL_URL": "smtps://127.0.0.1", "MAIL_FROM": "app@example.com",
                          "USE_CREDENTIALS": false});
    let reply = Req::post("/api/config/test", &settings).send(&app).await;
    reply.refused(StatusCode::FORBIDDEN, "host_not_allowed");
}

#[tokio::test]
async fn an_allow_listed_name_resolving_to_loopback_is_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &["localhost"]);
    let settings = with(valid_settings(), json!({"MAIL_SERVER": "localhost"}));
    let reply = Req::post("/api/config/test", &settings).send(&app).await;
    let body = reply.api(StatusCode::FORBIDDEN, false);
    assert!(
        body["error"].as_str().unwrap().contains("loopback"),
        "{body}"
    );
}

#[tokio::test]
async fn the_test_checks_the_settings_first() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = test_app(dir.path(), &["smtp.example.com"]);
    let settings = with(valid_settings(), json!({"MAIL_PORT": "abc"}));
    let reply = Req::post("/api/config/test", &settings).send(&app).await;
    assert!(
        reply
            .problems()
            .contains(&("MAIL_PORT".into(), "invalid_value".into()))
    );
}
