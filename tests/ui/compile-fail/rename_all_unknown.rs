use mailconf_core::MailConfig;

#[derive(MailConfig)]
#[mailconf(rename_all = "screaming_snake_case")]
struct A {
    from_name: String,
}

#[derive(MailConfig)]
#[mailconf(rename_all = "camelCase")]
struct B {
    from_name: String,
}

fn main() {
    let _ = A::from_env();
    let _ = B::from_env();
}
