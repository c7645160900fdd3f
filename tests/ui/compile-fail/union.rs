use mailconf_core::MailConfig;

#[derive(MailConfig)]
union Bits {
    port: u16,
    flags: u8,
}

fn main() {
    let _ = Bits::from_env();
}
