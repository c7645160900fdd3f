//! `mailconf`: check SMTP settings, probe the server, send a test message, print templates, and
//! run a local mail catcher.

#[macro_use]
mod out;

mod check;
mod cli;
mod dev_server;
mod inbox;
mod logging;
mod migrate;
mod probe;
mod providers;
mod render;
mod send_load;
mod send_test;
mod settings;
mod template;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.common.lang();
    let sources = cli.common.sources();
    logging::init(&sources);
    let outcome = match cli.command {
        Command::Check(args) => check::run_with(&sources, &args, cli.common.json, lang),
        Command::Template { format } => template::run(format),
        Command::DevServer(args) => {
            runtime().block_on(dev_server::run(args, cli.common.json, lang))
        }
        Command::Probe(args) => {
            runtime().block_on(probe::run(&sources, cli.common.json, lang, args))
        }
        Command::SendTest(args) => {
            runtime().block_on(send_test::run(&sources, cli.common.json, lang, args))
        }
        Command::Migrate(args) => {
            migrate::run(cli.common.env_file.as_deref(), &args, cli.common.json, lang)
        }
        Command::Providers => providers::run(cli.common.json),
        Command::Render(args) => render::run(&sources, cli.common.json, lang, args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed) => ExitCode::from(1),
    }
}

/// A configuration or delivery failure, already reported to the user: exit status 1.
#[derive(Debug)]
pub struct Failed;

fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    }
}
