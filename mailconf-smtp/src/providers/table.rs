//! The provider presets: data only. Each entry's `source` is the provider's own page for its
//! SMTP settings; hosts and ports were cross-checked against Nodemailer's
//! `lib/well-known/services.json`. The first offer is the preset; the others are what the
//! provider also documents. Every offer is tested against the TLS/port table (security.rs).

use super::{OAuth2Preset, Offer, Provider};
use crate::Security::{ImplicitTls, StartTls};

const fn offer(port: u16, security: crate::Security) -> Offer {
    Offer { port, security }
}

/// Google's token endpoint serves every grant (refresh token, and the JWT bearer grant of a
/// Workspace service account); `https://mail.google.com/` is the one scope that allows SMTP.
pub(crate) const GOOGLE_OAUTH2: OAuth2Preset = OAuth2Preset {
    token_url: "https://oauth2.googleapis.com/token",
    app_scope: "https://mail.google.com/",
    user_scope: "https://mail.google.com/",
};

/// Microsoft identity platform v2.0, per tenant. App-only tokens (client credentials, the
/// `SMTP.SendAsApp` application permission) ask for `.default` of Exchange Online; a user's
/// (refresh token, the `SMTP.Send` delegated permission) for `SMTP.Send`, with `offline_access`
/// so that the refresh token keeps being renewed.
const MICROSOFT_OAUTH2: OAuth2Preset = OAuth2Preset {
    token_url: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    app_scope: "https://outlook.office365.com/.default",
    user_scope: "https://outlook.office.com/SMTP.Send offline_access",
};

const SUBMISSION: &[Offer] = &[offer(587, StartTls), offer(465, ImplicitTls)];
const SUBMISSIONS: &[Offer] = &[offer(465, ImplicitTls), offer(587, StartTls)];

/// Every preset, in the order `mailconf providers` lists them.
pub(crate) static PROVIDERS: &[Provider] = &[
    Provider {
        id: "gmail",
        aliases: &["google"],
        name: "Gmail",
        host: "smtp.gmail.com",
        ports: SUBMISSION,
        username: None,
        note: "an app password (needs 2-Step Verification), or OAuth2 (XOAUTH2); about 500 messages a day",
        oauth2: Some(&GOOGLE_OAUTH2),
        source: "https://support.google.com/mail/answer/7126229",
    },
    Provider {
        id: "google-workspace",
        aliases: &["gsuite"],
        name: "Google Workspace",
        host: "smtp.gmail.com",
        ports: SUBMISSION,
        username: None,
        note: "an app password or OAuth2 (XOAUTH2); about 2,000 messages a day per user",
        oauth2: Some(&GOOGLE_OAUTH2),
        source: "https://support.google.com/a/answer/176600",
    },
    Provider {
        id: "outlook",
        aliases: &["hotmail", "outlook.com"],
        name: "Outlook.com",
        host: "smtp-mail.outlook.com",
        ports: &[offer(587, StartTls)],
        username: None,
        note: "the full address as the login",
        oauth2: None,
        source: "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
    },
    Provider {
        id: "microsoft365",
        aliases: &["office365", "exchange-online"],
        name: "Microsoft 365 (Exchange Online)",
        host: "smtp.office365.com",
        ports: &[offer(587, StartTls)],
        username: None,
        note: "SMTP AUTH must be enabled for the mailbox; basic authentication is being retired (end of December 2026): OAuth2 (XOAUTH2)",
        oauth2: Some(&MICROSOFT_OAUTH2),
        source: "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365",
    },
    Provider {
        id: "yahoo",
        aliases: &[],
        name: "Yahoo Mail",
        host: "smtp.mail.yahoo.com",
        ports: SUBMISSIONS,
        username: None,
        note: "an app password",
        oauth2: None,
        source: "https://help.yahoo.com/kb/SLN4724.html",
    },
    Provider {
        id: "icloud",
        aliases: &["me.com"],
        name: "iCloud Mail",
        host: "smtp.mail.me.com",
        ports: &[offer(587, StartTls)],
        username: None,
        note: "an app-specific password",
        oauth2: None,
        source: "https://support.apple.com/en-us/102525",
    },
    Provider {
        id: "zoho",
        aliases: &[],
        name: "Zoho Mail",
        host: "smtp.zoho.com",
        ports: SUBMISSIONS,
        username: None,
        note: "accounts in the EU use smtp.zoho.eu (set MAIL_SERVER)",
        oauth2: None,
        source: "https://www.zoho.com/mail/help/zoho-smtp.html",
    },
    Provider {
        id: "fastmail",
        aliases: &[],
        name: "Fastmail",
        host: "smtp.fastmail.com",
        ports: SUBMISSIONS,
        username: None,
        note: "an app password",
        oauth2: None,
        source: "https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports",
    },
    Provider {
        id: "ses",
        aliases: &["amazon-ses"],
        name: "Amazon SES",
        host: "email-smtp.{region}.amazonaws.com",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(2587, StartTls),
            offer(2465, ImplicitTls),
            offer(25, StartTls),
        ],
        username: None,
        note: "the region is required (ses:eu-west-1); SMTP credentials, not the AWS access key; in the sandbox only verified recipients",
        oauth2: None,
        source: "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html",
    },
    Provider {
        id: "sendgrid",
        aliases: &["twilio-sendgrid"],
        name: "SendGrid",
        host: "smtp.sendgrid.net",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(2525, StartTls),
            offer(25, StartTls),
        ],
        username: Some("apikey"),
        note: "the login is literally apikey and the password an API key",
        oauth2: None,
        source: "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
    },
    Provider {
        id: "mailgun",
        aliases: &["mailgun-us"],
        name: "Mailgun (US)",
        host: "smtp.mailgun.org",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(2525, StartTls),
            offer(25, StartTls),
        ],
        username: None,
        note: "the domain's SMTP credentials",
        oauth2: None,
        source: "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp",
    },
    Provider {
        id: "mailgun-eu",
        aliases: &[],
        name: "Mailgun (EU)",
        host: "smtp.eu.mailgun.org",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(2525, StartTls),
            offer(25, StartTls),
        ],
        username: None,
        note: "for domains in the EU region",
        oauth2: None,
        source: "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp",
    },
    Provider {
        id: "postmark",
        aliases: &["postmarkapp"],
        name: "Postmark",
        host: "smtp.postmarkapp.com",
        ports: &[
            offer(587, StartTls),
            offer(2525, StartTls),
            offer(25, StartTls),
        ],
        username: None,
        note: "the server API token as both login and password",
        oauth2: None,
        source: "https://postmarkapp.com/developer/user-guide/send-email-with-smtp",
    },
    Provider {
        id: "brevo",
        aliases: &["sendinblue"],
        name: "Brevo",
        host: "smtp-relay.brevo.com",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(2525, StartTls),
        ],
        username: None,
        note: "the SMTP key, not the account password",
        oauth2: None,
        source: "https://help.brevo.com/hc/en-us/articles/7924908994450",
    },
    Provider {
        id: "mailjet",
        aliases: &[],
        name: "Mailjet",
        host: "in-v3.mailjet.com",
        ports: &[
            offer(587, StartTls),
            offer(465, ImplicitTls),
            offer(25, StartTls),
        ],
        username: None,
        note: "the API key as login and the secret key as password",
        oauth2: None,
        source: "https://dev.mailjet.com/smtp-relay/configuration/",
    },
    Provider {
        id: "naver",
        aliases: &[],
        name: "Naver Mail",
        host: "smtp.naver.com",
        ports: SUBMISSIONS,
        username: None,
        note: "POP3/SMTP must be enabled in Naver Mail's settings (환경설정 > POP3/IMAP 설정); with 2-step verification, an application password",
        oauth2: None,
        source: "https://help.naver.com/service/5640/contents/10029",
    },
    Provider {
        id: "daum",
        aliases: &["kakao", "hanmail"],
        name: "Daum Mail (Kakao)",
        host: "smtp.daum.net",
        ports: &[offer(465, ImplicitTls)],
        username: None,
        note: "IMAP/SMTP must be enabled in Daum Mail's settings (환경설정 > IMAP/POP3); with 2-step verification, an application password",
        oauth2: None,
        source: "https://cs.daum.net/faq/43/11505.html",
    },
    Provider {
        id: "proton",
        aliases: &["protonmail"],
        name: "Proton Mail",
        host: "smtp.protonmail.ch",
        ports: &[offer(587, StartTls)],
        username: None,
        note: "an SMTP token (paid plans with a custom domain)",
        oauth2: None,
        source: "https://proton.me/support/smtp-submission",
    },
];
