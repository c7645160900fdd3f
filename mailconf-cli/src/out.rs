//! Standard output that ends the program quietly when the reader has gone.
//!
//! `mailconf providers | head -3` or `mailconf check --json | head` closes the pipe before
//! everything is written. Rust ignores SIGPIPE, so the write fails with `BrokenPipe`, and
//! `outln!` panics on a failed write. A closed pipe is the reader saying it has enough, as
//! SIGPIPE means to C tools: the program stops at once with status 0 and says nothing.

use std::fmt;
use std::io::{self, Write};

/// `outln!` for the CLI's standard output.
macro_rules! outln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for the CLI's standard output.
macro_rules! out {
    ($($arg:tt)*) => { $crate::out::write(format_args!($($arg)*)) };
}

/// Writes `args` to standard output; a closed pipe ends the program quietly, any other
/// failure with a message and status 1.
pub(crate) fn write(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
