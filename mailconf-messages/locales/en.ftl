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
