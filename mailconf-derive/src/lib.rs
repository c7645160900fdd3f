#![forbid(unsafe_code)]
extern crate proc_macro;

#[proc_macro_derive(MailConfig, attributes(mailconf))]
pub fn derive_mail_config(_input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    "compile_error!(\"mailconf-derive is being written\");".parse().unwrap()
}
