use mailconf_core::MailConfig;

#[derive(MailConfig)]
struct Borrowed<'a> {
    server: &'a str,
}

#[derive(MailConfig)]
struct Generic<T> {
    server: T,
}

fn main() {
    let _ = Borrowed::from_env();
    let _ = Generic::<String>::from_env();
}
