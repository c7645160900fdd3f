# mailconf's messages in English, the default language.
#
# Each message has the same id and the same variables in ko.ftl (tests/catalog.rs checks it).
# Variables ($key, $value, $port, $reply …) are shown as they are: variable names, values,
# ports, commands and server replies are never translated. A secret is never a variable.

## Values: what a raw setting must look like (mailconf-values)

value-remove-spaces = remove the spaces around the value
value-remove-fraction = remove the fractional part
value-path-empty = the path is empty
value-path-empty-hint = set a file path, or leave the setting unset
value-bool-expected = expected a boolean
value-bool-carriage-return = remove the carriage return at the end (the file has Windows line ends)
value-bool-spellings = use true/false, 1/0, yes/no or on/off
value-integer-expected = expected a whole number from { $min } to { $max }
value-out-of-range = the number is out of range: { $reason }
value-number-not-finite = expected a finite number
value-number-expected = expected a number such as 2.5
value-list-item-empty = item { $index } of the list is empty
value-list-item-empty-hint = remove the extra comma
value-list-item = item { $index }: { $reason }
value-duration-negative = a duration cannot be negative
value-duration-too-long = the duration is too long
value-duration-expected = expected a duration
value-duration-whole-with-unit = expected a whole number with a unit
value-duration-unknown-unit = unknown unit in the duration
value-duration-hint = write a whole number with a unit: 500ms, 30s, 2m or 1h (a bare number means seconds)
value-port-zero = port 0 cannot be connected to
value-port-negative = a port cannot be negative: expected a port number from 1 to 65535
value-port-above-max = the port is above 65535, the highest TCP port
value-port-expected = expected a port number from 1 to 65535
value-choice-expected = expected one of: { $choices }
value-choice-hint = set one of { $choices }
value-email-line-break = a line break is not allowed in an email address
value-email-line-break-hint = remove the line break (a file with Windows line ends leaves one at the end)
value-email-empty = the email address is empty
value-email-not-bare = expected a bare address, not `Name <address>`
value-email-not-bare-hint = put only the address here, such as app@example.com; the display name has its own setting
value-email-no-at = an email address needs an @ between the name and the domain
value-email-no-at-hint = write it like app@example.com
value-email-local-part = the part before @ is not valid in an email address
value-email-domain = the part after @ is not a valid domain
value-mailbox-line-break = a line break is not allowed in a mailbox
value-mailbox-line-break-hint = remove the line break: it could be used to inject mail headers
value-mailbox-brackets = expected `Name <address>` with the address last, in angle brackets
value-mailbox-quotes-whole = a display name with quotes must be quoted as a whole
value-mailbox-quotes-whole-hint = write it like { $example }
value-mailbox-unclosed-quote = the display name has an opening quote but no closing one
value-mailbox-lone-backslash = the display name ends with a lone backslash
value-mailbox-unescaped-quote = a quote inside a quoted display name must be escaped as \"
value-host-empty = the host is empty
value-host-empty-hint = set a host name such as example.com
value-host-spaces = the host has spaces around it
value-host-spaces-hint = remove the spaces
value-host-bracket = expected an IP address inside the brackets, such as [192.0.2.1], [::1] or [IPv6:::1]
value-host-url = expected a host name, not a URL
value-host-url-hint = remove the scheme (such as https://) and any path: only the host name goes here
value-host-email = expected a host name, not an email address
value-host-email-hint = give only the host name, such as example.com
value-host-port = the host includes a port
value-host-port-hint = put the port in its own setting and leave only the host name here
value-host-idna = not a valid host name (IDNA conversion failed)
value-host-length = a host name has 1 to 253 characters
value-host-empty-label = the host name has an empty part between dots
value-host-long-label = a part of the host name is longer than 63 characters
value-host-space = a host name cannot contain a space
value-host-character = a host name cannot contain the character { $character }
value-host-character-hint = use letters, digits, hyphens and dots
value-host-hyphen = a part of the host name starts or ends with a hyphen
value-host-bad-ipv4 = this looks like an IPv4 address but is not a valid one
value-ip-expected = expected { $what ->
    [ipv4] an IPv4 address
    [ipv6] an IPv6 address
    [socket] an IP address and a port
   *[ip] an IPv4 or IPv6 address
}
value-write-it-like = write it like { $example }
value-url-expected = expected a URL: { $reason ->
    [empty-host] empty host
    [idna] invalid international domain name
    [invalid-port] invalid port number
    [invalid-ipv4] invalid IPv4 address
    [invalid-ipv6] invalid IPv6 address
    [invalid-domain-character] invalid domain character
    [relative] relative URL without a base
    [overflow] URLs more than 4 GB are not supported
   *[other] the URL is malformed
}
value-url-spaces-hint = remove the spaces around the URL
value-url-hint = write an absolute URL, such as https://app.example.com/

## Reports of problems (mailconf-core)

report-header = { $count ->
    [one] 1 problem
   *[other] { $count } problems
} in { $name }:
report-header-unnamed = { $count ->
    [one] 1 problem
   *[other] { $count } problems
} in settings:
report-hint = hint: { $hint }
report-conflicts-with = (conflicts with { $keys })
report-got-from = ; got { $input } from { $origin }
report-got = ; got { $input }
report-set-in = ; set in { $origin }
warning-set-in = (set in { $origin })
warning-hint = (hint: { $hint })
origin-env = environment
origin-dotenv = { $path } line { $line }
origin-secret-file = file { $path } (from { $via })
origin-json = JSON
origin-map = map
origin-default = default

## Loading settings (mailconf-core)

error-missing = required, but not set
error-set-but-empty = set but empty
loader-set-key = set { $key } ({ $type })
loader-set-key-or = set { $key } ({ $type }), or set { $others } instead
list-or = { $first } or { $second }
loader-set-but-empty-hint = give { $key } { $what ->
    [boolean] true or false
    [number] a number
   *[other] a value
}, or remove the line so that it is not set
loader-hint-and-field-hint = { $hint }; { $field_hint }
loader-renamed-hint = { $old } was renamed to { $key }: rename { $old } to { $key }
loader-renamed = { $old } was renamed to { $key }
loader-rename = rename { $old } to { $key }
loader-renamed-both-set = { $old } was renamed to { $key }, which is set: { $old } is ignored
loader-remove = remove { $key }
loader-set-twice = { $key } is set more than once: as { $first } and { $others }
loader-set-twice-hint = keep only one of them
loader-file-unreadable = cannot read the file { $path }: { $reason }
loader-file-unreadable-hint = make { $path } readable by this process, or fix { $via }
loader-case-read-as = read as { $name }: names are matched whatever their case
loader-case-write-it = write it { $name }
loader-empty-name = a setting has an empty name
loader-empty-name-hint = remove the entry whose name is empty
loader-shadowed-spelling = { $read } is set too, and read instead: { $key } is ignored
loader-shadowed-spelling-hint = keep only one of { $key } and { $read }
loader-foreign-key = { $key } is a setting of { $dialect }, not read here: it would be ignored
loader-set-instead = set { $key } instead
loader-unknown-key = not a known setting
loader-unknown-key-denied-hint = remove { $key }: { $config } reads no such setting
loader-unknown-key-ignored = not a known setting: ignored
loader-unknown-key-ignored-hint = remove { $key } if it is a leftover; { $config } does not read it
loader-typo-is-set = { $typo } is set: did you mean { $key }?
loader-foreign-name-is-set = { $key } is set, but that is { $dialect }'s name: { $advice }
loader-did-you-mean = did you mean { $key }?
loader-file-only-secret = only secret settings can be read from a file: set { $key } itself
file-not-regular = not a regular file
file-too-large = larger than { $limit } bytes
file-not-utf8 = the file is not UTF-8 text
file-not-found = no such file
file-permission-denied = permission denied
file-other = { $detail }

## Names of value types

type-string = string
type-path = path
type-boolean = boolean
type-integer = integer
type-number = number
type-list = comma-separated list
type-duration = duration
type-email = email address
type-host = host name or IP address
type-mailbox = mailbox (Name <address>)
type-port = port
type-url = URL
type-ip = IP address
type-ipv4 = IPv4 address
type-ipv6 = IPv6 address
type-socket = socket address (IP:port)
type-smtp-url = URL (smtp://, smtps://)
type-rate = rate (messages/s, /min, /h or /day)
type-percentage = percentage
type-level = level
type-wait-local-fail = wait, local or fail
type-value = value
type-provider = provider (gmail, microsoft365, ses:REGION…: see `mailconf providers`)

## Sources of settings (mailconf-core)

source-json-not-object = expected a JSON object keyed by variable names
source-json-parse = the JSON does not parse (line { $line }, column { $column })
source-json-not-scalar = expected a string, number or boolean
source-json-not-scalar-hint = lists are written as one comma-separated string
source-env-not-utf8 = the value is not valid UTF-8
source-env-not-utf8-hint = set the variable to UTF-8 text
source-dotenv-unreadable = cannot read the .env file { $path }: { $reason }
source-dotenv-line = cannot parse this line of the .env file (at character { $column })
source-dotenv-unparsable = cannot parse { $path }
source-dotenv-hint = each line must be KEY=value; quote values that contain spaces or #

## Writing a .env file (mailconf-core dotenv_file)

dotenv-control = the value contains the control character { $character } at position { $position }; a .env value must stay on one line and hold no control characters
dotenv-quote-with = the value contains both a single quote (') and { $character } (at position { $position }): a value with ' must be written in double quotes, where bash and dotenvy give { $character } a special meaning and Node's dotenv does not; remove one of the two
dotenv-double-backslash = the value contains two backslashes in a row (\\) at position { $position }: python-dotenv and pydantic-settings read them as one backslash, and the other readers as two
dotenv-trailing-backslash = the value ends with a backslash (\): python-dotenv and pydantic-settings read it as escaping the closing quote
dotenv-interpolation = the value contains {"${…}"} at position { $position }: python-dotenv and pydantic-settings replace it with an environment variable whatever the quoting, and the other readers do not
dotenv-key = { $key } is not a variable name every .env reader accepts: use letters, digits and _, not starting with a digit
dotenv-char-double-quote = a double quote (")
dotenv-char-backslash = a backslash (\)
dotenv-char-dollar = a dollar sign ($)
dotenv-char-backquote = a backquote (`)
dotenv-char-other = another special character
type-rates = rate (messages/s, /min, /h or /day; several separated by commas)

## Send limits (mailconf-smtp rate)

rate-hint = write it like 5/s, 100/min, 1000/h or 50000/day
rate-count-and-period = expected a count and a period
rate-count-positive = the count must be a whole number above 0
rate-unknown-period = unknown period
rate-limits-hint = write one limit like 14/s, or several separated by commas like 14/s,50000/day
rate-limits-in-part = in `{ $part }`: { $reason }
rate-limits-empty = expected at least one limit
rate-limits-same-period = { $first } and { $second } limit the same period; keep the one you mean
rate-limits-too-many = { $limit } counts more than { $max } messages in one window
rate-limits-too-many-hint = a quota window remembers every message it counts: use a shorter period, such as a per-hour limit

## TLS modes and ports (mailconf-smtp security)

security-starttls = STARTTLS
security-starttls-sound = plain SMTP with STARTTLS
security-starttls-keep = keep STARTTLS
security-implicit-tls = implicit TLS
security-implicit-tls-sound = implicit TLS (TLS from the first byte)
security-implicit-tls-keep = keep implicit TLS
security-plain = no TLS
security-plain-sound = plain SMTP without STARTTLS
security-plain-keep = stay in plain text
security-port-expects-tls = port { $port } expects TLS from the first byte (implicit TLS), but { $mode } is configured: the client waits for a plain-text greeting that never comes, and the send hangs until it times out
security-port-expects-plain = port { $port } speaks plain text first and upgrades with STARTTLS, but { $mode } is configured: the handshake fails with "wrong version number" (OpenSSL) or "InvalidContentType" (rustls)
security-port-fix = for port { $port } set { $flags }; to { $keep } use { $port_key }={ $usual_port }
security-tls-choices = port { $starttls_port }: { $starttls_flags }; port { $implicit_port }: { $implicit_flags }
security-usual-tls-ports = the server's STARTTLS port (usually { $starttls_port }) or its implicit-TLS port (usually { $implicit_port })

## Rules between SMTP settings (mailconf-smtp rules)

rule-from-name-conflict = { $from } has a display name and { $from_name } gives a different one: which one to send is unclear
rule-from-name-conflict-hint = keep only the address in { $from }, or remove { $from_name }
rule-url-gives-endpoint = { $url } already gives the server, port and TLS mode
rule-url-gives-endpoint-hint = use either { $url } or { $server }, { $port }, { $starttls } and { $ssl_tls } (or { $provider }), not both
rule-url-gives-username = { $url } already gives the login name
rule-url-gives-username-hint = remove { $username } or the user from { $url }
rule-url-gives-password = { $url } already gives the password
rule-url-gives-password-hint = remove { $password } or the password from { $url }
rule-both-tls = { $starttls } and { $ssl_tls } are both true, but a connection uses one or the other
rule-set-username = set { $username }, or { $use_credentials }=false if the server needs no login
rule-set-password = set { $password } (or { $password }_FILE), or { $use_credentials }=false if the server needs no login
rule-password-in-clear = the password would be sent unencrypted to { $host }: no TLS is configured
rule-password-in-clear-hint = use TLS ({ $choices }); on a trusted network { $allow_insecure_auth }=true allows it
warning-certificates-not-checked = certificate checks are off: anyone on the network path can pose as the server and read the password
warning-certificates-not-checked-hint = trust a private CA with MAIL_CA_FILE instead of turning the checks off
warning-from-domain-mismatch = MAIL_FROM is at { $from_domain } but the login is at { $login_domain }: many servers refuse or rewrite a sender they do not own, and receivers may flag it (SPF/DMARC)
warning-from-domain-mismatch-hint = send from an address of the login's domain, or make sure the server may send for this one
warning-insecure-auth = the password is sent unencrypted to { $host }
warning-insecure-auth-hint = use STARTTLS or implicit TLS unless the network is trusted
warning-underscore-in-host = { $host } has a `_`, which DNS host names cannot hold: it resolves only through a local resolver (Docker Compose service names, /etc/hosts), and no public CA issues a certificate for it
warning-underscore-in-host-hint = fine for a Docker Compose service such as mail_hog; for a real server use its DNS name (with `-` instead of `_`)
warning-provider-overridden = MAIL_SERVER={ $server } replaces { $provider }'s server { $host }
warning-provider-overridden-hint = fine for another server of the same provider (such as smtp.zoho.eu); otherwise remove MAIL_SERVER or MAIL_PROVIDER
warning-provider-port = { $server } is { $provider }'s server, which is served on port { $offers }, not { $port }
warning-provider-port-hint = set MAIL_PORT={ $port } with { $flags } (see { $source })

## SMTP settings (mailconf-smtp config, url, CA file, Redis)

field-port-hint = SMTP submission uses 587 (STARTTLS) or 465 (implicit TLS)
field-server-hint = the SMTP server from your provider's settings, such as smtp.gmail.com, without smtp:// or a port
smtp-url-hint = write it like smtps://user:password@smtp.example.com or smtp://user:password@smtp.example.com:587?tls=required
smtp-url-scheme = the scheme must be smtp:// or smtps://
smtp-url-opportunistic = tls=opportunistic is not supported: it silently sends in plain text when the server offers no STARTTLS
smtp-url-opportunistic-hint = use ?tls=required
smtp-url-tls-parameter = the tls parameter must be `required` (and only with smtp://)
smtp-url-query = the only query parameter understood is tls=required
smtp-url-path = the URL has a path
smtp-url-path-hint = remove it; set LOCAL_HOSTNAME for the EHLO name
smtp-url-fragment = the URL has a #fragment (a `#` in the password must be written %23)
smtp-url-no-host = the URL has no host
smtp-url-percent = the user or password is not valid percent-encoded UTF-8
smtp-name-line-break = a line break is not allowed in a display name
smtp-pool-empty = the pool needs at least one connection
ca-unreadable = cannot read the file: { $reason }
ca-der = not PEM (DER detected): the file holds a binary certificate
ca-binary = not PEM: the file holds binary data
ca-no-certificate = the file holds no PEM certificate
ca-der-hint = convert it to PEM with `openssl x509 -inform der -in { $file } -out { $file }.pem` and use the .pem file
ca-binary-hint = give a PEM file with { $marker } blocks (a DER certificate converts with `openssl x509 -inform der -in { $file } -out { $file }.pem`)
ca-no-certificate-hint = give a file with { $marker } blocks
ca-explain = { $reason }; { $hint }
rate-failure-expected = expected wait, local or fail
rate-failure-hint = wait holds mail until Redis is back (the default); local falls back to this process's limit; fail fails the send
rate-shared-needs-limit = a shared limit needs { $rate_limit }, which is not set
rate-shared-needs-limit-hint = set { $rate_limit } (such as 14/s) to the limit every process shares, or remove { $redis_url }
rate-needs-redis = only a limit shared through Redis uses this, and { $redis_url } is not set
rate-needs-redis-hint = set { $redis_url } (redis://host:6379) to share the limit, or remove this setting
rate-redis-not-built = this program was built without a Redis client, so it cannot share the send limit
rate-redis-not-built-hint = enable the `redis` feature of mailconf-smtp (mailconf-smtp = {"{"} version = "0.1", features = ["redis"] {"}"}), or remove { $redis_url } to keep the limit in this process
rate-redis-url-hint = write it like redis://host:6379, rediss://:password@host:6380/0, or for a Cluster several separated by commas; the password may also come from MAIL_RATE_LIMIT_REDIS_URL_FILE
rate-redis-scheme = the scheme is { $scheme }, not redis or rediss
rate-redis-refused = the Redis client does not accept this URL
rate-key-chars = the key must be 1 to 200 printable ASCII characters without spaces, {"{"} or {"}"}
rate-key-chars-hint = such as myapp-ses; mailconf adds the Redis Cluster hash tag itself

## Another library's rules (mailconf-smtp compat, check --compat fastapi-mail)

compat-int-flag = fastapi-mail refuses this { $key }: it is a number, 0 or 1 (`conint(gt=-1, lt=2)`), so pydantic refuses true/false
compat-int-flag-hint = write { $key }=1 or { $key }=0
compat-timeout = fastapi-mail refuses this TIMEOUT: it is a whole number of seconds (`int`), without a unit
compat-timeout-hint = write the seconds alone, such as TIMEOUT=30
compat-sender = fastapi-mail refuses this MAIL_FROM (pydantic's EmailStr): { $reason }
compat-sender-hint = send from an address of a public domain you own, such as app@example.com
compat-template-folder = fastapi-mail refuses this TEMPLATE_FOLDER: it must be an existing directory (pydantic's DirectoryPath)
compat-template-folder-hint = create the folder, fix the path (a relative path starts at the working directory), or remove the setting
compat-missing = fastapi-mail requires { $key }: its ConnectionConfig has no default for it
compat-missing-login-hint = fastapi-mail requires { $key } even with USE_CREDENTIALS=False: set it, empty ({ $key }=) when the server needs no login
compat-missing-url-hint = fastapi-mail does not read MAIL_URL: set { $key } as well (and remove MAIL_URL, which mailconf would then refuse as a conflict)
compat-missing-hint = set { $key }
compat-missing-file-hint = fastapi-mail does not read { $key }_FILE: set { $key } itself
compat-sender-name-quotes = the display name holds characters pydantic reads only in a quoted name, such as , ( ) or @
compat-sender-bracketed-ip = A bracketed IP address after the @-sign is not allowed here.
compat-sender-final-period = An email address cannot end with a period.
compat-sender-underscore = The part after the @-sign contains invalid characters: '_'.
compat-sender-special-use = The part after the @-sign is a special-use or reserved name that cannot be used with email.
compat-sender-no-period = The part after the @-sign is not valid. It should have a period.
compat-sender-numeric-tld = The part after the @-sign is not valid. It is not within a valid top-level domain.

## Provider presets (mailconf-smtp providers, MAIL_PROVIDER)

provider-offer = { $port } ({ $mode })
provider-offers = { $offers }
provider-port-not-offered = { $provider } is served on port { $offers }, not { $port }
provider-port-not-offered-hint = set { $port_key } to one of these, or remove it to use the preset ({ $preset_port } { $preset_mode })
provider-mode-mismatch = { $provider } speaks { $offered } on port { $port }, but { $mode } is configured
provider-mode-mismatch-hint = set { $flags }
provider-mode-not-offered = { $provider } offers no { $mode }: it is served on port { $offers }
provider-mode-not-offered-hint = remove { $starttls } and { $ssl_tls } to use the preset ({ $preset_port } { $preset_mode })
provider-unknown = not a known provider
provider-unknown-hint = one of { $ids }; or leave it unset and set MAIL_SERVER, MAIL_PORT and the TLS flags
provider-needs-region = { $provider } needs its region
provider-needs-region-hint = write { $id }:REGION with the region of your SMTP credentials, such as { $id }:eu-west-1
provider-has-no-region = { $provider } has no region
provider-has-no-region-hint = write { $id }

## The settings page (examples/settings-page; issue 17). page-label-* and page-help-* name a
## setting's control (page-label-mail-server for MAIL_SERVER); provider-note-* is a preset's
## note (provider-note-gmail), the same words as mailconf-smtp's provider table.

page-title = SMTP settings
page-lead = How this application sends email. Every setting is checked when you save, and every problem is listed at once.
page-language = Language
page-sign-out = Sign out
page-needs-js = This page needs JavaScript.
page-token-title = Admin token
page-token-text = Enter the token the settings page was started with (--token or SETTINGS_PAGE_TOKEN). It is kept in this tab only.
page-continue = Continue
page-save = Save settings
page-test = Test connection
page-saving = Saving…
page-testing = Testing the connection…
page-unreachable = The page could not reach the server: { $reason }
page-unexpected = Unexpected answer from the server (HTTP { $status }).
page-token-refused = The token was not accepted: { $reason }
page-enter-token = Enter the token.
page-could-not-start = The page could not start: { $reason }
page-request-failed = The request failed (HTTP { $status }).
page-required = required
page-control-required = { $label }: required
page-fastapi-only = fastapi-mail only
page-fastapi-only-help = Read by fastapi-mail applications; mailconf itself does not use it.
page-remove-saved = Remove the saved value
page-secret-saved = A value is saved (not shown). Leave this empty to keep it.
page-secret-none = Nothing saved yet.
page-secret-placeholder = •••••••• (saved)
page-not-a-number = not a number
page-whole-number = enter a whole number
page-group-server = Server
page-group-encryption = Encryption
page-group-login = Login
page-group-sender = Sender
page-group-advanced = Advanced settings
page-tls-label = Encryption
page-tls-help = STARTTLS upgrades a plain connection (usually port { $starttls_port }); implicit TLS is encrypted from the first byte (usually port { $implicit_port }). A connection uses one or the other, so this one choice sets both variables.
page-mode-option = { $name } (port { $port })
page-mode-option-trusted = { $name } (port { $port }, trusted networks only)
page-mode-not-set = Not set (MAIL_URL gives the connection)
page-provider-label = Provider
page-provider-help = Fills the server, port and encryption from the provider's documented settings; every field stays editable.
page-provider-other = Other (enter the server below)
page-provider-note = { $note } ({ $source })
page-problems-not-saved = { $count ->
    [one] 1 problem: nothing was saved
   *[other] { $count } problems: nothing was saved
}
page-problems-before-test = { $count ->
    [one] 1 problem: fix it before testing
   *[other] { $count } problems: fix them before testing
}
page-changed = Changed: { $fix }. Test the connection again, then save.
page-details = Details: { $detail }
page-test-passed = Connection test passed. { $message }
page-saved = Settings saved.
page-saved-warnings = { $count ->
    [one] Settings saved, with 1 warning
   *[other] Settings saved, with { $count } warnings
}
page-step-dns = DNS
page-step-tcp = TCP connect
page-step-tls = TLS handshake
page-step-greeting = Greeting
page-step-ehlo = EHLO
page-step-starttls = STARTTLS
page-step-oauth2-token = OAuth2 token
page-step-login = Login
page-step-quit = QUIT
page-step-line = { $mark } { $step } ({ $millis } ms): { $detail }
page-set-encryption = Encryption to { $mode }
page-quoted = “{ $label }”
page-tick = tick { $label }
page-untick = untick { $label }
page-set-to = { $label } to { $value }
page-insecure-message = Encryption: choose STARTTLS, or allow a plain-text login under Advanced
page-insecure-hint = A plain-text login lets anyone on the network read the password: allow it only on a network you trust.
page-label-file = { $label } (file)
page-help-file = Path of a file that holds { $key }.
page-label-mail-username = Username
page-help-mail-username = Login name on the SMTP server, often the email address.
page-label-mail-password = Password
page-help-mail-password = Login password (or app password).
page-label-mail-port = Port
page-help-mail-port = SMTP port: 587 for STARTTLS, 465 for implicit TLS. Required unless MAIL_URL or MAIL_PROVIDER is set.
page-label-mail-server = Server
page-help-mail-server = SMTP server host name, such as smtp.example.com. Required unless MAIL_URL or MAIL_PROVIDER is set.
page-label-mail-starttls = STARTTLS
page-help-mail-starttls = Upgrade the connection with STARTTLS (port 587).
page-label-mail-ssl-tls = Implicit TLS
page-help-mail-ssl-tls = Use TLS from the first byte (port 465).
page-label-use-credentials = Log in
page-help-use-credentials = Log in with MAIL_USERNAME and MAIL_PASSWORD.
page-label-mail-url = Connection URL
page-help-mail-url = The whole connection as a URL: smtps://user:pass@host:465, or smtp://user:pass@host:587?tls=required for STARTTLS.
page-label-mail-provider = Provider preset
page-help-mail-provider = A preset that fills MAIL_SERVER, MAIL_PORT and the TLS flags, such as gmail, microsoft365 or ses:eu-west-1 (mailconf providers lists them); those set override it.
page-label-mail-allow-insecure-auth = Allow a plain-text login
page-help-mail-allow-insecure-auth = Allow logging in over plain text to a host that is not this machine.
page-label-mail-oauth2-token-url = OAuth2 token URL
page-help-mail-oauth2-token-url = OAuth2 token endpoint (https, or http on this machine); MAIL_PROVIDER=microsoft365 with MAIL_OAUTH2_TENANT, or gmail, gives it when unset.
page-label-mail-oauth2-client-id = OAuth2 client ID
page-help-mail-oauth2-client-id = OAuth2 client (application) ID: switches the login to XOAUTH2 with MAIL_USERNAME as the mailbox.
page-label-mail-oauth2-client-secret = OAuth2 client secret
page-help-mail-oauth2-client-secret = The client-credentials grant needs it; a refresh token may too.
page-label-mail-oauth2-refresh-token = OAuth2 refresh token
page-help-mail-oauth2-refresh-token = The refresh token of the mailbox's user: the refresh-token grant (without it, client credentials).
page-label-mail-oauth2-scope = OAuth2 scope
page-help-mail-oauth2-scope = Scopes separated by spaces; the provider's SMTP scope when unset.
page-label-mail-oauth2-tenant = Microsoft Entra tenant
page-help-mail-oauth2-tenant = Tenant ID or domain: with MAIL_PROVIDER=microsoft365 it gives the token URL.
page-label-mail-oauth2-service-account-file = Google service account key
page-help-mail-oauth2-service-account-file = The key file (JSON) of a service account: a JWT-bearer grant acting as MAIL_USERNAME (domain-wide delegation).
page-label-mail-access-token-file = Access token file
page-help-mail-access-token-file = A file holding an access token that something else keeps fresh (a sidecar); read again whenever it changes.
page-label-mail-from = Sender address
page-help-mail-from = Sender of every message: app@example.com, or "Example App <app@example.com>" whose name is used unless MAIL_FROM_NAME is set.
page-label-mail-from-name = Sender name
page-help-mail-from-name = The name shown with the address, such as "Example App".
page-label-validate-certs = Check certificates
page-help-validate-certs = Check the server's certificate. Turning it off allows impersonation of the server.
page-label-timeout = Timeout
page-help-timeout = Limit for one whole send (connect, TLS, login, delivery): 30s, 2m, or seconds.
page-label-suppress-send = Suppress sending
page-help-suppress-send = Record messages instead of sending them (tests of applications).
page-label-local-hostname = Local host name
page-help-local-hostname = Name sent with EHLO; the system host name when unset.
page-label-mail-ca-file = Extra CA certificate
page-help-mail-ca-file = Extra root certificate (PEM) to trust, such as a private CA. CERT_BUNDLE is accepted too.
page-label-mail-debug = Verbose SMTP logging
page-help-mail-debug = Verbose SMTP logging of fastapi-mail; mailconf logs through tracing.
page-label-template-folder = Template folder
page-help-template-folder = Folder of the Jinja2 templates of templated mail (feature templates), parsed when the Mailer is built.
page-label-mail-rate-limit = Send limit
page-help-mail-rate-limit = Most messages sent per period, such as 100/min or 5/s; several windows that must all hold are separated by commas, such as 14/s,50000/day.
page-label-mail-rate-limit-redis-url = Redis for the shared limit
page-help-mail-rate-limit-redis-url = Share MAIL_RATE_LIMIT with every process using the same MAIL_RATE_LIMIT_KEY through this Redis: redis://[:password@]host:6379, or rediss:// for TLS.
page-label-mail-rate-limit-key = Shared limit name
page-help-mail-rate-limit-key = Name of the shared limit in Redis (default: the SMTP server's host name); processes with the same name share one limit.
page-label-mail-rate-limit-redis-failure = While Redis is unreachable
page-help-mail-rate-limit-redis-failure = wait (the default: hold mail, never exceed the limit), local (this process's own limit), or fail.
page-label-mail-rate-limit-redis-cluster = Redis Cluster
page-help-mail-rate-limit-redis-cluster = MAIL_RATE_LIMIT_REDIS_URL lists the seed nodes of a Redis Cluster.
page-label-mail-pool-size = Connection pool size
page-help-mail-pool-size = Most connections open at once.
page-api-invalid = { $count ->
    [one] 1 problem in the settings; nothing was saved
   *[other] { $count } problems in the settings; nothing was saved
}
page-api-not-found = no such API endpoint; see GET /api/schema, GET and POST /api/config, POST /api/config/test
page-api-method = this endpoint does not take that method
page-api-not-json = send the settings as a JSON object with Content-Type: application/json
page-api-too-large = the body is larger than { $kib } KiB
page-api-unreadable-body = the request body could not be read
page-api-not-an-object = expected a JSON object keyed by variable names, such as {"{"}"MAIL_SERVER": "smtp.example.com"{"}"}
page-api-invalid-json = the body is not valid JSON: { $reason }
page-api-unreadable = the settings file cannot be read: { $reason }
page-api-keep-secret = cannot keep the saved password: { $reason }
page-api-not-saved = the settings were NOT saved: { $reason }. The previous settings file is unchanged.
page-api-not-written = nothing was saved: { $reason }
page-api-not-load-back = the settings would not load back from the .env file; nothing was saved
page-api-save-failed = the settings were NOT saved: { $reason }
page-api-missing-token = this API needs the admin token: send Authorization: Bearer <token>
page-api-wrong-token = the admin token is not correct
page-api-too-many = too many wrong admin tokens from this address: wait { $seconds } s before trying again
page-api-untrusted-host = the Host header names neither the address this page listens on nor an --origin given at start-up
page-api-no-origin = refused: a request that changes settings must carry an Origin header (browsers send it; scripts must set it to this page's origin)
page-api-cross-origin = refused: cross-origin request from { $origin }; settings can only be changed from this page's own origin
page-files-disabled = this page does not accept file paths: it was started without --files-dir
page-files-disabled-hint = set this variable in the application's environment, or restart the page with --files-dir FOLDER
page-files-outside = this page accepts only files inside the folder it was started with (--files-dir)
page-files-outside-hint = put the file in that folder and give its full path
page-not-a-variable-name = { $key } cannot be a variable name in a .env file
page-not-writable-hint = change that character: the .env file could not give this value back exactly to every program that reads it
page-port-refused = refused: the connection test contacts only the SMTP ports 25, 465, 587 and 2525, not { $port }; restart the page with --allow-port { $port } to allow it
page-host-refused = refused: this page may only test the SMTP hosts it was started with, and { $host } is not one of them ({ $allowed }); restart it with --allow-host { $host } to allow it
page-host-none-allowed = no host is allowed: the page was started without --allow-host
page-host-allowed = allowed: { $hosts }
page-host-special = refused: { $host } resolves to { $ip }, { $kind }, which is not allowed implicitly; restart the page with --allow-host { $ip } as well to allow it
page-host-unresolved = cannot resolve { $host }: { $reason }
page-host-no-answer = cannot resolve { $host }: no answer within { $seconds } s
page-host-no-address = { $host } has no address
page-address-loopback = a loopback address
page-address-private = a private-network address
page-address-link-local = a link-local address (such as a cloud metadata service)
page-address-unspecified = an unspecified address
page-address-cgnat = a carrier-grade NAT address
page-address-multicast = a multicast or reserved address
page-address-reserved = a reserved address
page-address-unique-local = a private-network (unique local) address
page-address-documentation = a documentation address
page-probe-timeout = the server did not get through the test within { $seconds } s
page-test-connected = { $address }: connected with { $mode }; no mail was sent
page-test-connected-login = { $address }: connected with { $mode }, login accepted; no mail was sent
page-step-failed = { $step } failed: { $detail }
page-test-not-passed = the test did not pass
page-diag-mode = The server on this port speaks { $want }, but Encryption is set to { $have }: choose { $want }.
page-diag-use = Use { $mode }
page-diag-dns = The server name could not be found: check Server.
page-diag-tcp = Nothing answered at this server and port: check Server and Port.
page-diag-tls = The secure connection could not be set up: check Encryption, and the certificate settings under Advanced.
page-diag-login = The server refused the login: check Username and Password.
page-diag-greeting = The server did not answer like an SMTP server: check Port.
page-diag-other = The connection test did not pass.
provider-note-gmail = an app password (needs 2-Step Verification), or OAuth2 (XOAUTH2); about 500 messages a day
provider-note-google-workspace = an app password or OAuth2 (XOAUTH2); about 2,000 messages a day per user
provider-note-outlook = the full address as the login
provider-note-microsoft365 = SMTP AUTH must be enabled for the mailbox; basic authentication is being retired (end of December 2026): OAuth2 (XOAUTH2)
provider-note-yahoo = an app password
provider-note-icloud = an app-specific password
provider-note-zoho = accounts in the EU use smtp.zoho.eu (set MAIL_SERVER)
provider-note-fastmail = an app password
provider-note-ses = the region is required (ses:eu-west-1); SMTP credentials, not the AWS access key; in the sandbox only verified recipients
provider-note-sendgrid = the login is literally apikey and the password an API key
provider-note-mailgun = the domain's SMTP credentials
provider-note-mailgun-eu = for domains in the EU region
provider-note-postmark = the server API token as both login and password
provider-note-brevo = the SMTP key, not the account password
provider-note-mailjet = the API key as login and the secret key as password
provider-note-naver = POP3/SMTP must be enabled in Naver Mail's settings (환경설정 > POP3/IMAP 설정); with 2-step verification, an application password
provider-note-daum = IMAP/SMTP must be enabled in Daum Mail's settings (환경설정 > IMAP/POP3); with 2-step verification, an application password
provider-note-proton = an SMTP token (paid plans with a custom domain)

## Other libraries' keys translated (mailconf-smtp dialects)

dialect-assignment = { $key }={ $value }
dialect-assignment-secret = { $key }=<{ $what }>
dialect-value-of = the value of { $key }
dialect-notes = { $first }; { $next }
dialect-set-instead = set { $assignments } instead
dialect-set-instead-note = set { $assignments } instead: { $note }
dialect-remove = remove { $key }: { $reason }
dialect-flask-max-emails = Flask-Mail's cap on messages per connection has no equivalent: mailconf reuses pooled connections (MAIL_POOL_SIZE); to cap the sending rate, set MAIL_RATE_LIMIT such as 100/min
dialect-flask-ascii-attachments = not needed: mailconf encodes any attachment file name so that every client reads it (RFC 2231)
dialect-django-certfile = a client certificate has no equivalent: mailconf logs in with MAIL_USERNAME and MAIL_PASSWORD (to trust a private CA, that is MAIL_CA_FILE)
dialect-django-keyfile = a client certificate's key has no equivalent: mailconf logs in with MAIL_USERNAME and MAIL_PASSWORD
dialect-flag-not-bool = { $key }={ $value } is not true or false: set { $target }=1 to record mail instead of sending it, or { $target }=0
dialect-port-decides = { $mismatch }; so for port { $port } use { $mode }
dialect-both-tls = both TLS flags are on, but a connection uses one or the other: port { $port } speaks { $mode }
dialect-auto-starttls = it upgrades with STARTTLS when the server offers it; on port { $port } mailconf requires it
dialect-port-not-a-port = the TLS mode depends on the port, and { $value } is not one: fix the port first
dialect-default-port = { $dialect } connects to port { $port } when none is set
dialect-tls-flag-not-bool = { $key }={ $value } is not true or false, so the TLS mode it meant is unknown: write True or False
dialect-smtp-secure-not-bool = SMTP_SECURE={ $value } is not true or false: true means TLS from the first byte (port 465)
dialect-no-tls-keys = { $dialect } has no TLS keys
dialect-laravel-scheme = MAIL_SCHEME={ $value } is neither smtp nor smtps: set MAIL_SSL_TLS=True for smtps, MAIL_STARTTLS=True for smtp
dialect-laravel-encryption = MAIL_ENCRYPTION={ $value } is none of tls, ssl or null: { $choices }
dialect-laravel-mailer-smtp = not needed: mailconf always sends over SMTP
dialect-laravel-mailer-log = Laravel's { $value } mailer keeps mail unsent; mailconf records it instead of sending
dialect-laravel-mailer-other = MAIL_MAILER={ $value } is not SMTP, and mailconf sends over SMTP only: configure the provider's SMTP server (MAIL_SERVER, or MAIL_PROVIDER), then remove MAIL_MAILER
dialect-dsn-not-a-dsn = MAILER_DSN is not a DSN ({ $reason }): write it as smtp://user:password@host:587
dialect-dsn-null = Symfony's null transport discards mail; mailconf records it instead of sending
dialect-dsn-transport = MAILER_DSN's { $scheme }:// transport is not plain SMTP, and mailconf sends over SMTP only: write the provider's SMTP server as smtp://user:password@host:587 (or set MAIL_PROVIDER)
dialect-dsn-no-server = MAILER_DSN names no server: write it as smtp://user:password@host:587
dialect-dsn-option = its option { $option } has no equivalent and is left out
dialect-dsn-password = the password in MAILER_DSN
dialect-dsn-login = MAILER_DSN's user or password is not valid percent-encoded UTF-8, or one is missing: write smtp://user:password@host:587 with both

## The mailconf command (mailconf-cli)

cli-check-ok = Settings OK: { $host }:{ $port } with { $mode }
cli-warnings-header = { $count ->
    [one] 1 warning:
   *[other] { $count } warnings:
}
cli-settings-read = Settings read:
cli-setting-read-as = { $value } (as { $key })
cli-not-sent = Not sent: { $what }
cli-send-setup = cannot set up the mailer: { $reason }
cli-send-compose = cannot compose the message: { $reason }
cli-send-nothing = nothing was sent: { $reason }
cli-send-suppressed = SUPPRESS_SEND is on, so the message was recorded, not sent; unset it to test delivery
cli-sent = Sent to { $to } through { $server } ({ $mode })
cli-server-reply = server reply: { $code } { $reply }
cli-send-stage-timed-out = Not sent: the { $stage } stage timed out with { $server }
cli-send-stage-failed = Not sent: the { $stage } stage failed with { $server }
cli-reply-code = reply code: { $code }
cli-server-message = message: { $message }
cli-probe-trying = Trying { $mode } on the same port:
cli-probe-server = Server: { $name }, greeting "{ $greeting }"
cli-probe-extensions = extensions: { $list }
cli-probe-auth = AUTH mechanisms: { $list }
cli-probe-none-offered = none offered
cli-probe-starttls = STARTTLS: { $offered }
cli-probe-offered = offered
cli-probe-not-offered = not offered
cli-probe-size = SIZE: { $size } bytes
cli-probe-speaks = The port speaks: { $sound }
cli-probe-advice = Advice: { $advice }
cli-probe-passed = Result: every step passed
cli-probe-failed = Result: FAILED
cli-probe-anyway = Probing anyway, with the server and port as given, to find out which TLS mode the port speaks.
cli-probe-as-configured = { $mode } as configured
cli-probe-trying-both = TLS mode not configured, trying both
cli-probe-probing = Probing { $address }: { $mode }, at most { $limit } per step

## Templates (mailconf-smtp, TEMPLATE_FOLDER)

templates-feature-disabled = this program was built without templates, so it cannot use the template folder
templates-feature-disabled-hint = enable the `templates` feature of mailconf-smtp (features = ["templates"] in Cargo.toml), or remove the setting

## The mailconf command: templates and the dev inbox (mailconf-cli)

cli-data-unreadable = cannot read { $path }: { $reason }
cli-data-file-not-json = --data is not JSON in { $path }: { $reason }
cli-data-not-json = --data is not JSON: { $reason }
cli-render-no-folder = no template folder: set TEMPLATE_FOLDER or give --folder
cli-render-no-subject = (none)
cli-send-test-template-count = --template sends one message; it cannot be combined with --count
cli-inbox-not-loopback = --web must be a loopback address such as 127.0.0.1:8025, not { $addr }: the inbox shows every caught message to whoever can reach it
cli-inbox-listening = Web inbox: { $url }

## Issue 14, the templates helper: `mailconf check` on TEMPLATE_FOLDER
check-template-syntax = the template { $name } has a syntax error on line { $line }: { $reason }
check-template-error = the templates cannot be used: { $error }
check-template-hint = the Mailer parses every template of this folder when it starts and refuses to start with this error: fix the file, or point TEMPLATE_FOLDER at the right folder

## Hints after a failed send or connection test (mailconf-smtp client)

hint-tls-mode = port { $port } waits for TLS from the first byte (implicit TLS, usually port { $implicit_port }) instead of greeting in plain text: set { $implicit_fix }, or use the server's STARTTLS port (usually { $starttls_port })
hint-timeout-implicit-tls = no TLS session with { $server } within { $limit }: check MAIL_SERVER and MAIL_PORT and that no firewall blocks port { $port }; if the port expects STARTTLS (usually { $starttls_port }), set { $starttls_fix }
hint-timeout-no-greeting = connected to { $server }, but the server sent no greeting within { $limit }: port { $port } probably expects TLS from the first byte (implicit TLS, usually port { $implicit_port }); set { $implicit_fix }, or use the STARTTLS port (usually { $starttls_port })
hint-timeout-no-ehlo = { $server } greeted but did not answer EHLO within { $limit }: the server may be overloaded or something between us interferes; TIMEOUT raises the limit
hint-timeout-connect = no connection to { $server } within { $limit }: check MAIL_SERVER and MAIL_PORT, and that no firewall drops outgoing connections to port { $port }
hint-timeout-tls = the TLS handshake with { $server } did not finish within { $limit }: check that port { $port } offers STARTTLS, or set { $implicit_fix } if it expects implicit TLS
hint-timeout-stage = the server stopped answering during { $stage } (limit { $limit }): it may be overloaded or something between us interferes; TIMEOUT raises the limit
hint-dns = the host name { $host } could not be resolved: check MAIL_SERVER
hint-connection-refused = nothing accepts connections on { $server }: check MAIL_SERVER and MAIL_PORT
hint-unreachable = { $server } cannot be reached from here: check MAIL_SERVER, the network and any firewall
hint-no-answer = no answer from { $server }: check MAIL_SERVER and MAIL_PORT and that no firewall blocks port { $port }
hint-session-refused = the server refused the session; it may be limiting connections or blocking this address
hint-closed-without-greeting = the server on port { $port } closed the connection without a plain-text greeting: it probably expects TLS from the first byte (implicit TLS, usually port { $implicit_port }); set { $implicit_fix }
hint-no-starttls = the server on port { $port } does not offer STARTTLS, and this mailer never falls back to plain text; if the port expects TLS from the first byte (usually { $implicit_port }), set { $implicit_fix }, otherwise use the server's submission port (usually { $starttls_port })
hint-not-implicit-tls = the server on port { $port } does not speak TLS from the first byte; it probably expects STARTTLS (usually port { $starttls_port }): set { $starttls_fix }
hint-unknown-issuer = the server's certificate is not signed by a trusted CA; set MAIL_CA_FILE to the PEM file of the CA that signed it (a private or self-signed CA); VALIDATE_CERTS=false skips the check but lets anyone impersonate the server
hint-unknown-issuer-ca-file = the server's certificate is not signed by a trusted CA; the certificate is not signed by the CA in MAIL_CA_FILE either: check that the file holds the right CA; VALIDATE_CERTS=false skips the check but lets anyone impersonate the server
hint-certificate-name = the server's certificate is not valid for { $host }: set MAIL_SERVER to a name the certificate lists
hint-certificate-expired = the server's certificate has expired (or this machine's clock is wrong)
hint-certificate-rejected = the server's certificate was rejected; MAIL_CA_FILE can add a private CA
hint-login-rejected = the server rejected the login; check MAIL_USERNAME and MAIL_PASSWORD; with Gmail/Google Workspace use an app password, not the account password
hint-tls-before-login = the server wants TLS before the login: { $choices }
hint-no-auth-no-starttls = the server offers no AUTH PLAIN/LOGIN and no STARTTLS on port { $port }: if it needs no login (a relay that trusts this network), set USE_CREDENTIALS=false; otherwise use the server's submission port ({ $choices })
hint-no-auth-plain = the server offers no AUTH PLAIN/LOGIN over this plain-text connection; most servers offer it only after STARTTLS: set { $starttls_fix }
hint-no-auth = the server offers no AUTH PLAIN/LOGIN over this connection; if it needs no login, set USE_CREDENTIALS=false
hint-login-required = the server requires a login: set MAIL_USERNAME and MAIL_PASSWORD (and USE_CREDENTIALS=true)
hint-sender-refused = the server does not let this account send as this sender: set MAIL_FROM to an address the account may use
hint-no-smtputf8 = the server cannot take addresses with non-ASCII characters (no SMTPUTF8); use ASCII addresses
hint-relay-refused-after-login = the server refused to relay although the login succeeded: this account may not send to this recipient or as this sender; set MAIL_FROM to an address the account may use, or ask the server's administrator to allow the account to relay
hint-relay-refused = the server does not relay for this client: log in (MAIL_USERNAME, MAIL_PASSWORD) or use your provider's submission server
hint-google-app-password = Google wants an app password (2-Step Verification is on for this account): create one in the Google Account's security settings (App passwords) and set it as MAIL_PASSWORD, or use OAuth2 (XOAUTH2)
hint-google-refused = Google refused the login: the account password is not accepted for SMTP; set MAIL_PASSWORD to an app password (it needs 2-Step Verification; not available under Advanced Protection), or use OAuth2 (XOAUTH2)
hint-microsoft-smtp-auth-off = Microsoft 365 has SMTP AUTH turned off for this mailbox or tenant (security defaults): an administrator enables Authenticated SMTP for the mailbox, or the application uses OAuth2 (XOAUTH2) (set MAIL_OAUTH2_TENANT, MAIL_OAUTH2_CLIENT_ID and MAIL_OAUTH2_CLIENT_SECRET instead of MAIL_PASSWORD; README: Microsoft 365 with OAuth2)
hint-microsoft-basic-auth-retired = Microsoft 365 no longer accepts a password for SMTP (basic authentication is retired): use OAuth2 (XOAUTH2) with an app registered in Entra ID (set MAIL_OAUTH2_TENANT, MAIL_OAUTH2_CLIENT_ID and MAIL_OAUTH2_CLIENT_SECRET instead of MAIL_PASSWORD; README: Microsoft 365 with OAuth2)
hint-sendgrid-username = SendGrid's login is literally apikey: set MAIL_USERNAME=apikey and MAIL_PASSWORD to an API key with Mail Send permission
hint-sendgrid-key = SendGrid refused the API key: check that MAIL_PASSWORD is a current API key with Mail Send permission
hint-naver-refused = Naver refused the login: SMTP must be enabled in Naver Mail's settings (환경설정 > POP3/IMAP 설정, SMTP 사용); with 2-step verification, set MAIL_PASSWORD to an application password
hint-daum-refused = Daum refused the login: SMTP must be enabled in Daum Mail's settings (환경설정 > IMAP/POP3, IMAP/SMTP 사용); with 2-step verification, set MAIL_PASSWORD to an application password
hint-microsoft-refused = Microsoft refused the login: check MAIL_USERNAME (the full address) and MAIL_PASSWORD, and that SMTP AUTH is enabled for the mailbox; basic authentication is being retired: OAuth2 (XOAUTH2)
hint-ses-refused = Amazon SES refused the login: MAIL_USERNAME and MAIL_PASSWORD must be SES SMTP credentials of the same region as the server, not an AWS access key
hint-ses-not-verified = Amazon SES refuses an address that is not verified: in the sandbox, verify the sender and every recipient (or their domains) in the SES console, or request production access
hint-blocking-in-async = use Mailer and `.send(message).await` in async code
hint-blocking-shut-down = build a new BlockingMailer

## The verdict on a failed send (mailconf-smtp mailer)

send-verdict-timed-out = timed out ({ $attempts ->
    [one] 1 attempt
   *[other] { $attempts } attempts
    })
send-verdict-permanent = permanent failure ({ $attempts ->
    [one] 1 attempt
   *[other] { $attempts } attempts
    })
send-verdict-gave-up = temporary failure, gave up after { $attempts ->
    [one] 1 attempt
   *[other] { $attempts } attempts
    }; a later try may succeed
send-verdict-temporary = temporary failure ({ $attempts ->
    [one] 1 attempt
   *[other] { $attempts } attempts
    }); a later try may succeed
stage-setup = setup
stage-connect = connect
stage-oauth2-token = OAuth2 token (oauth2_token)
stage-tls = TLS
stage-auth = login (AUTH)
stage-mail-from = MAIL FROM
stage-rcpt = RCPT TO
stage-data = DATA

## The advice a connection test ends with (mailconf-smtp diagnose)

probe-offers-starttls = port { $port } offers STARTTLS: set { $settings } so that the login and the messages are encrypted
probe-speaks-plain = port { $port } speaks plain SMTP without STARTTLS: the login and the messages would travel unencrypted; use { $ports }, or, only for a server on this machine, set { $settings }
probe-speaks = port { $port } speaks { $sound }: set { $settings }
probe-no-smtp-stalls = { $address } accepts connections but answered neither plain SMTP nor TLS within { $limit }: the server does not answer SMTP on this port; check MAIL_SERVER and MAIL_PORT ({ $ports }), and that no proxy or firewall holds the connection
probe-not-smtp = { $address } accepts connections but speaks neither plain SMTP nor SMTP over TLS: it is not an SMTP server; check MAIL_SERVER and MAIL_PORT ({ $ports })
probe-fix-ca-file = fix MAIL_CA_FILE (a readable PEM file with the CA certificate)
probe-never-plain = mailconf never falls back to plain text: use { $ports }
probe-use-tls-to-login = use STARTTLS or implicit TLS, which the server's TLS port offers
probe-session-refused = the server may be limiting connections or blocking this address

## OAuth2 settings (mailconf-smtp oauth2: MAIL_OAUTH2_*, MAIL_ACCESS_TOKEN_FILE)

rule-token-in-clear = the OAuth2 access token would be sent unencrypted to { $host }: no TLS is configured
oauth2-not-built = this program was built without OAuth2 support, so it cannot log in with XOAUTH2
oauth2-not-built-hint = enable the `oauth2` feature of mailconf-smtp (mailconf-smtp = {"{"} version = "0.1", features = ["oauth2"] {"}"}), or remove the MAIL_OAUTH2_* and MAIL_ACCESS_TOKEN_FILE settings to log in with a password
oauth2-token-file-alone = { $access_token_file } gives a token kept fresh by something else, so mailconf fetches none: the other OAuth2 settings would do nothing
oauth2-token-file-alone-hint = keep { $access_token_file } alone, or remove it to let mailconf fetch tokens
oauth2-service-account-alone = { $oauth2_service_account_file } holds the client and its key: a client ID, secret, refresh token or tenant would do nothing
oauth2-service-account-alone-hint = remove these settings, or remove { $oauth2_service_account_file } to use a client ID and secret
oauth2-set-client-id = set { $oauth2_client_id } to the application (client) ID from the app registration, or { $oauth2_service_account_file } for a Google service account
oauth2-set-client-secret = the client-credentials grant needs { $oauth2_client_secret } (or { $oauth2_client_secret }_FILE); for a user's mailbox set { $oauth2_refresh_token } instead
oauth2-set-username = XOAUTH2 logs in as a mailbox: set { $username } to its address, such as app@example.com
oauth2-no-password = OAuth2 is set, so the login is XOAUTH2 with a token: the password would do nothing
oauth2-no-password-hint = remove the password (providers that want OAuth2 refuse it), or remove the MAIL_OAUTH2_* settings to log in with it
oauth2-no-login = { $use_credentials }=false means no login, but OAuth2 is set to log in with XOAUTH2
oauth2-no-login-hint = remove { $use_credentials }, or remove the OAuth2 settings
oauth2-tenant-and-url = { $oauth2_tenant } only builds the token URL, and { $oauth2_token_url } gives it already
oauth2-tenant-and-url-hint = remove one of them
oauth2-tenant-not-microsoft = { $oauth2_tenant } builds Microsoft 365's token URL, but { $provider } is not microsoft365
oauth2-tenant-not-microsoft-hint = set { $provider }=microsoft365, or give the token URL in { $oauth2_token_url } instead of { $oauth2_tenant }
oauth2-set-tenant = set { $oauth2_tenant } to the Directory (tenant) ID shown on the app registration's overview page
oauth2-set-token-url = set { $oauth2_token_url } to the provider's OAuth2 token endpoint, or { $provider }=microsoft365 with { $oauth2_tenant }, or { $provider }=gmail
oauth2-url-login = the token URL holds a user name or password
oauth2-url-login-hint = remove them from the URL: the client secret goes in MAIL_OAUTH2_CLIENT_SECRET
oauth2-url-http = the token URL is http: the client secret would be sent unencrypted
oauth2-url-http-hint = use the https:// URL of the token endpoint (http is allowed only on this machine)
oauth2-url-scheme = the token URL must be https://, not { $scheme }:
oauth2-url-scheme-hint = such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token
oauth2-tenant-chars = a tenant is an ID (a GUID) or a domain: letters, digits, '-' and '.' only
oauth2-tenant-chars-hint = copy the Directory (tenant) ID from the app registration's overview page, a GUID such as 8d2e1c7a-4b6f-4e39-9a51-2f0c3b7d9e64
hint-oauth2-smtp-auth-off = Microsoft 365 has SMTP AUTH turned off for this mailbox or tenant, which OAuth2 logins need too: an administrator enables Authenticated SMTP for the mailbox (or for the tenant)
hint-oauth2-no-xoauth2 = the server does not offer AUTH XOAUTH2 over this connection: check MAIL_SERVER, or log in with a password instead of the MAIL_OAUTH2_* settings if the server has no OAuth2
hint-oauth2-microsoft-refused = Microsoft 365 refused the token for MAIL_USERNAME: with client credentials, the app's service principal must be registered in Exchange Online (New-ServicePrincipal) and given rights on that mailbox (Add-MailboxPermission), and the token must be for https://outlook.office365.com/.default (MAIL_OAUTH2_SCOPE)
hint-oauth2-google-refused = Google refused the token for MAIL_USERNAME: the token must carry the scope https://mail.google.com/ (MAIL_OAUTH2_SCOPE) and belong to that mailbox (a service account's domain-wide delegation must allow that scope)
hint-oauth2-refused = the server refused the OAuth2 token for MAIL_USERNAME: check that MAIL_USERNAME is the mailbox the token is for, and that MAIL_OAUTH2_SCOPE grants SMTP

## Issue 13, the oauth2 helper: XOAUTH2 refusals, token endpoint errors and the probe's token step
hint-oauth2-token-file-refused = the server refused the token in MAIL_ACCESS_TOKEN_FILE: it has expired or was revoked (check that whatever keeps the file fresh, such as a sidecar, is running), or it is not for the mailbox in MAIL_USERNAME
# A failed token request (mailconf-smtp oauth2: TokenError)
oauth2-error-grant = { $error } (grant { $grant })
oauth2-refused = the token endpoint refused the request: { $error }
oauth2-refused-http = the token endpoint refused the request (HTTP { $status }): { $error }
oauth2-refused-described = the token endpoint refused the request: { $error }: { $description }
oauth2-refused-http-described = the token endpoint refused the request (HTTP { $status }): { $error }: { $description }
oauth2-unreachable = cannot get a token from the token endpoint: { $why }
oauth2-unreachable-cause = cannot get a token from the token endpoint: { $why } ({ $cause })
oauth2-why-timeout = it did not answer in time
oauth2-why-connect = cannot connect to it
oauth2-why-redirect = it answered with a redirect
oauth2-why-failed = the request failed
oauth2-request-failed = the token request failed: { $error }
oauth2-answer-unusable = the token endpoint's answer cannot be used: { $what }
oauth2-not-bearer = the token endpoint gave a token that is not a Bearer token, which XOAUTH2 cannot use
oauth2-bad-access-token = the token endpoint gave an empty access token, or one with spaces or control characters
oauth2-no-error-body = the token endpoint answered HTTP { $status } without an OAuth2 error body
oauth2-body-unreadable = the token endpoint answered HTTP { $status }, but its body could not be read (line { $line }, column { $column })
oauth2-body-not-json = the token endpoint answered HTTP { $status }, but its body is not JSON (line { $line }, column { $column })
oauth2-body-no-token = the token endpoint answered HTTP { $status }, but its body is JSON without a valid access_token and token_type (line { $line }, column { $column })
oauth2-token-file-unusable = cannot use the access token file { $path }: { $reason }
oauth2-not-a-small-file = not a regular file of at most { $max } bytes
oauth2-token-file-empty = it is empty
oauth2-token-file-chars = it holds more than one token, or characters a token cannot have
oauth2-key-unusable = cannot use the service account key { $path }: { $reason }
oauth2-key-not-json = not a service account JSON key with client_email and private_key (line { $line }, column { $column })
oauth2-key-token-uri = its token_uri is not a URL ({ $error })
oauth2-key-not-rsa = its private_key is not an RSA private key in PEM (-----BEGIN PRIVATE KEY-----)
oauth2-key-signing = signing failed ({ $error })
# What to do about it (TokenError::hint); a send's hint adds the setting
oauth2-hint-with-setting = { $hint } ({ $setting })
oauth2-hint-unreachable = check MAIL_OAUTH2_TOKEN_URL (or MAIL_OAUTH2_TENANT), and that this machine can reach the endpoint over HTTPS (a firewall or proxy may block it)
oauth2-hint-malformed = check that MAIL_OAUTH2_TOKEN_URL is the token endpoint itself, such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token or https://oauth2.googleapis.com/token
oauth2-hint-key = download a new JSON key for the service account (IAM & Admin > Service accounts > Keys) and point MAIL_OAUTH2_SERVICE_ACCOUNT_FILE at it
oauth2-hint-token-file = check that whatever keeps the token fresh (a sidecar) is running and writes the bare token to MAIL_ACCESS_TOKEN_FILE
oauth2-hint-secret-wrong = the client secret is wrong: copy the secret's Value (not its Secret ID) from the app registration's Certificates & secrets into MAIL_OAUTH2_CLIENT_SECRET
oauth2-hint-secret-expired = the client secret has expired: create a new one under the app registration's Certificates & secrets
oauth2-hint-tenant-unknown = the tenant is unknown: set MAIL_OAUTH2_TENANT to the Directory (tenant) ID from the app registration's overview page
oauth2-hint-client-unknown = no application has this client ID in this tenant: check MAIL_OAUTH2_CLIENT_ID (the Application (client) ID) and MAIL_OAUTH2_TENANT
oauth2-hint-consent = consent not granted: an administrator must grant admin consent for the app's API permissions (SMTP.SendAsApp for an app-only token, SMTP.Send for a user's)
oauth2-hint-scope-invalid = the scope is not valid for this grant: remove MAIL_OAUTH2_SCOPE to use the provider's (https://outlook.office365.com/.default for client credentials)
oauth2-hint-refresh-expired = the refresh token has expired or was revoked: sign the user in again and put the new refresh token in MAIL_OAUTH2_REFRESH_TOKEN
oauth2-hint-aadsts = look up AADSTS{ $code } in Microsoft Entra's list of authentication and authorization error codes; { $hint }
oauth2-hint-invalid-client = the endpoint does not accept the client: check MAIL_OAUTH2_CLIENT_ID and MAIL_OAUTH2_CLIENT_SECRET (a new secret may be needed)
oauth2-hint-assertion-refused = the service account's assertion was refused: the key may have been deleted, MAIL_USERNAME may not be a user of the Workspace domain, or this machine's clock is off
oauth2-hint-client-credentials-refused = the client credentials were refused: check MAIL_OAUTH2_CLIENT_ID and MAIL_OAUTH2_CLIENT_SECRET
oauth2-hint-not-allowed = the app is not allowed this grant or scope: on Microsoft 365 grant admin consent for SMTP.SendAsApp (or SMTP.Send); for a Google service account, a Workspace admin must allow its client ID the scope https://mail.google.com/ under domain-wide delegation
oauth2-hint-scope-refused = the scope is refused: remove MAIL_OAUTH2_SCOPE to use the provider's SMTP scope, or set the one the app registration allows
oauth2-hint-grant-unsupported = this endpoint does not support the grant: check MAIL_OAUTH2_TOKEN_URL
oauth2-hint-endpoint-failing = the token endpoint is failing on its side: the send is retried; if it persists, check the provider's status page
oauth2-hint-check-registration = check MAIL_OAUTH2_TOKEN_URL, MAIL_OAUTH2_CLIENT_ID and the grant's secret against the app registration
# The connection test's token and XOAUTH2 login steps (mailconf-smtp diagnose)
probe-oauth2-unencrypted = not attempted: the access token would travel unencrypted
probe-oauth2-setup-failed = cannot set up the OAuth2 login: { $reason }
probe-oauth2-token-obtained = access token obtained with the { $grant } grant
probe-oauth2-token-reused = access token reused from the first attempt, obtained with the { $grant } grant

## A connection test's steps (mailconf-smtp diagnose; issue 17). What a server or the network
## said is quoted as it was ($reply, $reason).

probe-detail-quoted = { $text }
probe-detail-given = { $host }: { $addresses } (given, not looked up)
probe-detail-literal = { $host } (an address, nothing to resolve)
probe-detail-resolved = { $host } is { $addresses }
probe-detail-connected = connected to { $address }
probe-detail-tls = TLS established
probe-detail-no-greeting = no greeting
probe-detail-offers = { $server } offers: { $extensions }
probe-detail-no-extensions = no extensions
probe-detail-no-starttls = the server on port { $port } does not offer STARTTLS
probe-detail-starttls = TLS established; EHLO again: { $extensions }
probe-detail-no-oauth2-feature = not attempted: mailconf-smtp was built without its oauth2 feature
probe-detail-password-unencrypted = not attempted: the password would travel unencrypted
probe-detail-logged-in = logged in as { $user }
probe-detail-logged-in-with = logged in as { $user } with { $mechanism }
probe-detail-failed-before-greeting = the connection failed before a greeting: { $reason }
probe-detail-closed-before-greeting = the server closed the connection without a greeting
probe-detail-not-smtp = the server answered, but not with an SMTP greeting
probe-detail-session-refused = the server refused the session: { $reply }
probe-timeout-dns = the name was not resolved within { $limit }
probe-timeout-tcp = no TCP connection within { $limit }: nothing answered (a firewall may drop the packets)
probe-timeout-tls = the TLS handshake did not finish within { $limit }
probe-timeout-greeting = no greeting within { $limit }: the server accepted the connection but sent nothing
probe-timeout-other = no answer within { $limit }

## mailconf migrate's report (mailconf-smtp migrate, mailconf-cli; issue 17)

migrate-change = { $key } ({ $dialect }): { $action }
migrate-removed-set-already = removed: the settings it stands for are set already
migrate-removed-set-again = removed: the file sets it again further down, and that later line is the one read
migrate-commented-out = commented out: { $reason }
migrate-unreadable = the file does not parse: { $problem }
migrate-untranslatable = cannot translate { $refusals }
migrate-unwritable = { $key } cannot be written: { $reason }
cli-migrate-error = error: { $message }
cli-migrate-needs-file = migrate needs the file to rewrite: mailconf migrate --env-file PATH
cli-migrate-cannot-read = cannot read { $path }: { $reason }
cli-migrate-cannot-save = cannot save { $path }: { $reason }
cli-migrate-cannot-replace = cannot replace { $path }: { $reason }
cli-migrate-in-file = { $path }: { $problem }
cli-migrate-nothing = nothing to migrate: { $path } has no other library's mail settings
cli-migrate-wrote = wrote { $path } (the original is in { $backup })
