use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mailconf_core::{Lang, Sources};

/// Check SMTP settings (fastapi-mail's MAIL_* variables), probe the server, send a test message.
///
/// Settings are read from the environment, and from a .env file with --env-file (the environment
/// wins). Exit status: 0 success, 1 configuration or delivery failure, 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "mailconf", version)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Common {
    /// Also read settings from this .env file (the environment overrides it).
    #[arg(long, global = true, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
    /// Print JSON for programs instead of text for people.
    #[arg(long, global = true)]
    pub json: bool,
    /// The language of messages: en or ko (ko_KR.UTF-8 and ko-KR work too). Without it,
    /// MAILCONF_LANG, then LC_ALL, LC_MESSAGES and LANG decide; English otherwise. JSON keeps
    /// its codes, keys and fields in any language.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,
}

impl Common {
    /// The language of the output: `--lang`, else the environment's.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }

    pub fn sources(&self) -> Sources {
        let sources = Sources::new();
        let sources = match &self.env_file {
            Some(path) => sources.dotenv(path),
            None => sources,
        };
        sources.env()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate the settings; print every problem, or the settings and any warnings.
    Check(CheckArgs),
    /// Print a .env.example, the JSON Schema, or a Markdown table of the settings.
    Template {
        /// What to print.
        #[arg(value_enum, default_value_t = TemplateFormat::Env)]
        format: TemplateFormat,
    },
    /// Run a local SMTP server that catches every message (for development).
    DevServer(DevServerArgs),
    /// Connect to the configured server without sending: DNS, TCP, TLS, greeting, EHLO,
    /// STARTTLS, login and QUIT, each timed; on a TLS-mode mix-up, say what the port speaks.
    Probe(crate::probe::ProbeArgs),
    /// Send one test message through the configured server and print its reply; with --count,
    /// a load run that reports the achieved rate, latency, retries and failures.
    SendTest(crate::send_test::SendTestArgs),
    /// Rewrite the --env-file written for another library (Flask-Mail, Django, Laravel,
    /// Symfony, Node's SMTP_*) to fastapi-mail's keys: printed, or saved with --write.
    Migrate(MigrateArgs),
    /// Render a template of TEMPLATE_FOLDER with --data and print its subject, text and HTML,
    /// without sending.
    Render(crate::render::RenderArgs),
    /// List the provider presets (MAIL_PROVIDER): server, ports, TLS mode and each one's source.
    Providers,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Replace the file (after saving it as PATH.bak) instead of printing the result.
    #[arg(long)]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Refuse every unknown MAIL_* key, not only near misses and other libraries' keys (by
    /// default any other unknown key is a warning).
    #[arg(long)]
    pub strict: bool,
    /// Also refuse what this library refuses to load, with its reason and the fix: passing
    /// means the settings load there too.
    #[arg(long, value_enum, value_name = "LIBRARY")]
    pub compat: Option<CompatArg>,
}

/// A library whose loading rules `check --compat` adds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompatArg {
    /// fastapi-mail 1.6 (`ConnectionConfig`).
    FastapiMail,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TemplateFormat {
    /// A .env.example file.
    Env,
    /// A JSON Schema of the settings object.
    JsonSchema,
    /// A Markdown table.
    Markdown,
}

#[derive(Debug, Args)]
pub struct DevServerArgs {
    /// Port to listen on (127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 2525)]
    pub port: u16,
    /// TLS mode of the listener.
    #[arg(long, value_enum, default_value_t = DevTlsArg::Starttls)]
    pub tls: DevTlsArg,
    /// Write each received message as an .eml file into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Require this login (with --password).
    #[arg(long, requires = "password")]
    pub user: Option<String>,
    /// The password for --user.
    #[arg(long, requires = "user")]
    pub password: Option<String>,
    /// Also serve a browser inbox of the caught messages at this loopback address (port 0
    /// picks a free one); `--web` alone uses 127.0.0.1:8025.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:8025")]
    pub web: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DevTlsArg {
    /// Plain text first, then STARTTLS (like port 587).
    Starttls,
    /// TLS from the first byte (like port 465).
    Implicit,
    /// No TLS.
    None,
}
