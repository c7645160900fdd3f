use mailconf_core::MailConfig;

#[derive(MailConfig)]
enum Transport {
    Smtp,
    Sendmail,
}

fn main() {
    let _ = Transport::from_env();
}
