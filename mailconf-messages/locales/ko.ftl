# mailconf의 메시지, 한국어.
#
# en.ftl과 같은 id, 같은 변수를 씁니다(tests/catalog.rs가 확인합니다). 변수 이름, 값, 포트,
# 명령어, 서버 응답은 번역하지 않습니다. 비밀 값은 변수로 쓰지 않습니다.
#
# 용어: TLS, STARTTLS, SMTP, IDNA, URL은 그대로 씁니다. port 포트, environment variable 환경 변수,
# server 서버, authentication 인증, setting 설정, encryption 암호화, implicit TLS 암시적 TLS,
# plain text 평문, password 비밀번호, credentials 자격 증명, host name 호스트 이름, hint 도움말.

## 값: 설정 값의 형식 (mailconf-values)

value-remove-spaces = 값 앞뒤의 공백을 지우세요
value-remove-fraction = 소수점 아래 부분을 지우세요
value-path-empty = 경로가 비어 있습니다
value-path-empty-hint = 파일 경로를 지정하거나, 이 설정을 지정하지 마세요
value-bool-expected = 불리언 값이어야 합니다
value-bool-carriage-return = 끝의 캐리지 리턴(\r)을 지우세요(파일의 줄바꿈이 Windows 형식입니다)
value-bool-spellings = true/false, 1/0, yes/no, on/off 중 하나를 쓰세요
value-integer-expected = { $min }부터 { $max }까지의 정수여야 합니다
value-out-of-range = 숫자가 범위를 벗어났습니다: { $reason }
value-number-not-finite = 유한한 숫자여야 합니다
value-number-expected = 2.5 같은 숫자여야 합니다
value-list-item-empty = 목록의 { $index }번째 항목이 비어 있습니다
value-list-item-empty-hint = 남는 쉼표를 지우세요
value-list-item = { $index }번째 항목: { $reason }
value-duration-negative = 기간은 음수일 수 없습니다
value-duration-too-long = 기간이 너무 깁니다
value-duration-expected = 기간이어야 합니다
value-duration-whole-with-unit = 단위가 붙은 정수여야 합니다
value-duration-unknown-unit = 기간의 단위를 알 수 없습니다
value-duration-hint = 정수에 단위를 붙여 쓰세요: 500ms, 30s, 2m, 1h(단위가 없으면 초입니다)
value-port-zero = 포트 0으로는 연결할 수 없습니다
value-port-negative = 포트는 음수일 수 없습니다: 1부터 65535까지의 포트 번호여야 합니다
value-port-above-max = 포트가 TCP 포트의 최댓값인 65535보다 큽니다
value-port-expected = 1부터 65535까지의 포트 번호여야 합니다
value-choice-expected = 다음 중 하나여야 합니다: { $choices }
value-choice-hint = { $choices } 중 하나로 설정하세요
value-email-line-break = 이메일 주소에는 줄바꿈을 쓸 수 없습니다
value-email-line-break-hint = 줄바꿈을 지우세요(줄바꿈이 Windows 형식인 파일은 끝에 줄바꿈 문자가 남습니다)
value-email-empty = 이메일 주소가 비어 있습니다
value-email-not-bare = `Name <address>` 형식이 아니라 주소만 써야 합니다
value-email-not-bare-hint = 여기에는 app@example.com처럼 주소만 쓰세요. 표시 이름은 별도 설정이 있습니다
value-email-no-at = 이메일 주소에는 이름과 도메인 사이에 @가 있어야 합니다
value-email-no-at-hint = app@example.com 형식으로 쓰세요
value-email-local-part = @ 앞부분이 이메일 주소로 유효하지 않습니다
value-email-domain = @ 뒷부분이 유효한 도메인이 아닙니다
value-mailbox-line-break = 메일 주소에는 줄바꿈을 쓸 수 없습니다
value-mailbox-line-break-hint = 줄바꿈을 지우세요. 줄바꿈은 메일 헤더 삽입에 악용될 수 있습니다
value-mailbox-brackets = `Name <address>` 형식으로, 주소를 맨 뒤 꺾쇠괄호 안에 써야 합니다
value-mailbox-quotes-whole = 따옴표가 들어간 표시 이름은 전체를 따옴표로 감싸야 합니다
value-mailbox-quotes-whole-hint = { $example } 형식으로 쓰세요
value-mailbox-unclosed-quote = 표시 이름의 여는 따옴표에 맞는 닫는 따옴표가 없습니다
value-mailbox-lone-backslash = 표시 이름이 짝 없는 백슬래시로 끝납니다
value-mailbox-unescaped-quote = 따옴표로 감싼 표시 이름 안의 따옴표는 \"로 이스케이프해야 합니다
value-host-empty = 호스트가 비어 있습니다
value-host-empty-hint = example.com 같은 호스트 이름을 지정하세요
value-host-spaces = 호스트 앞뒤에 공백이 있습니다
value-host-spaces-hint = 공백을 지우세요
value-host-bracket = 대괄호 안에는 [192.0.2.1], [::1], [IPv6:::1] 같은 IP 주소가 있어야 합니다
value-host-url = URL이 아니라 호스트 이름이어야 합니다
value-host-url-hint = 스킴(https:// 등)과 경로를 지우세요. 여기에는 호스트 이름만 씁니다
value-host-email = 이메일 주소가 아니라 호스트 이름이어야 합니다
value-host-email-hint = example.com처럼 호스트 이름만 쓰세요
value-host-port = 호스트에 포트가 들어 있습니다
value-host-port-hint = 포트는 별도 설정에 지정하고, 여기에는 호스트 이름만 남기세요
value-host-idna = 유효한 호스트 이름이 아닙니다(IDNA 변환 실패)
value-host-length = 호스트 이름은 1자에서 253자 사이여야 합니다
value-host-empty-label = 호스트 이름에 점 사이가 비어 있는 부분이 있습니다
value-host-long-label = 호스트 이름의 한 부분이 63자보다 깁니다
value-host-space = 호스트 이름에는 공백을 쓸 수 없습니다
value-host-character = 호스트 이름에는 { $character } 문자를 쓸 수 없습니다
value-host-character-hint = 영문자, 숫자, 하이픈, 점만 쓰세요
value-host-hyphen = 호스트 이름의 한 부분이 하이픈으로 시작하거나 끝납니다
value-host-bad-ipv4 = IPv4 주소처럼 보이지만 유효한 주소가 아닙니다
value-ip-expected = { $what ->
    [ipv4] IPv4 주소여야 합니다
    [ipv6] IPv6 주소여야 합니다
    [socket] IP 주소와 포트여야 합니다
   *[ip] IPv4 또는 IPv6 주소여야 합니다
}
value-write-it-like = { $example } 형식으로 쓰세요
value-url-expected = URL이어야 합니다: { $reason ->
    [empty-host] 호스트가 비어 있습니다
    [idna] 국제화 도메인 이름이 유효하지 않습니다
    [invalid-port] 포트 번호가 유효하지 않습니다
    [invalid-ipv4] IPv4 주소가 유효하지 않습니다
    [invalid-ipv6] IPv6 주소가 유효하지 않습니다
    [invalid-domain-character] 도메인에 쓸 수 없는 문자가 있습니다
    [relative] 기준 URL이 없는 상대 URL입니다
    [overflow] 4 GB가 넘는 URL은 지원하지 않습니다
   *[other] URL 형식이 잘못되었습니다
}
value-url-spaces-hint = URL 앞뒤의 공백을 지우세요
value-url-hint = https://app.example.com/ 같은 절대 URL을 쓰세요

## 문제 보고 (mailconf-core)

report-header = { $name }에 문제가 { $count }개 있습니다:
report-header-unnamed = 설정에 문제가 { $count }개 있습니다:
report-hint = 도움말: { $hint }
report-conflicts-with = ({ $keys }와(과) 충돌)
report-got-from = ; 입력값 { $input }, 출처: { $origin }
report-got = ; 입력값 { $input }
report-set-in = ; 설정 위치: { $origin }
warning-set-in = (설정 위치: { $origin })
warning-hint = (도움말: { $hint })
origin-env = 환경 변수
origin-dotenv = { $path } { $line }번째 줄
origin-secret-file = 파일 { $path }({ $via }에서 지정)
origin-json = JSON
origin-map = 맵
origin-default = 기본값

## 설정 읽기 (mailconf-core)

error-missing = 필수 설정인데 지정되지 않았습니다
error-set-but-empty = 지정되었지만 값이 비어 있습니다
loader-set-key = { $key }({ $type })를 설정하세요
loader-set-key-or = { $key }({ $type })를 설정하거나, 대신 { $others }을(를) 설정하세요
list-or = { $first } 또는 { $second }
loader-set-but-empty-hint = { $key }에 { $what ->
    [boolean] true 또는 false를
    [number] 숫자를
   *[other] 값을
} 지정하거나, 지정하지 않으려면 그 줄을 지우세요
loader-hint-and-field-hint = { $hint }; { $field_hint }
loader-renamed-hint = { $old }의 이름이 { $key }(으)로 바뀌었습니다: { $old }을(를) { $key }(으)로 바꾸세요
loader-renamed = { $old }의 이름이 { $key }(으)로 바뀌었습니다
loader-rename = { $old }을(를) { $key }(으)로 바꾸세요
loader-renamed-both-set = { $old }의 이름이 { $key }(으)로 바뀌었고 { $key }이(가) 설정되어 있으므로 { $old }은(는) 무시됩니다
loader-remove = { $key }을(를) 지우세요
loader-set-twice = { $key }이(가) { $first }와(과) { $others }(으)로 두 번 이상 설정되었습니다
loader-set-twice-hint = 하나만 남기세요
loader-file-unreadable = 파일 { $path }을(를) 읽을 수 없습니다: { $reason }
loader-file-unreadable-hint = 이 프로세스가 { $path }을(를) 읽을 수 있게 하거나, { $via }을(를) 고치세요
loader-case-read-as = { $name }(으)로 읽었습니다: 이름은 대소문자를 구분하지 않고 찾습니다
loader-case-write-it = { $name }(으)로 쓰세요
loader-empty-name = 이름이 비어 있는 설정이 있습니다
loader-empty-name-hint = 이름이 비어 있는 항목을 지우세요
loader-shadowed-spelling = { $read }도 설정되어 있어 그쪽을 읽습니다: { $key }은(는) 무시됩니다
loader-shadowed-spelling-hint = { $key }와(과) { $read } 중 하나만 남기세요
loader-foreign-key = { $key }은(는) { $dialect }의 설정이라 여기서는 읽지 않습니다: 무시될 것입니다
loader-set-instead = 대신 { $key }을(를) 설정하세요
loader-unknown-key = 알 수 없는 설정입니다
loader-unknown-key-denied-hint = { $key }을(를) 지우세요: { $config }에는 이런 설정이 없습니다
loader-unknown-key-ignored = 알 수 없는 설정이라 무시합니다
loader-unknown-key-ignored-hint = 남은 설정이라면 { $key }을(를) 지우세요. { $config }은(는) 이 설정을 읽지 않습니다
loader-typo-is-set = { $typo }이(가) 설정되어 있습니다: { $key }의 오타가 아닌가요?
loader-foreign-name-is-set = { $key }이(가) 설정되어 있지만, 이는 { $dialect }에서 쓰는 이름입니다: { $advice }
loader-did-you-mean = { $key }의 오타가 아닌가요?
loader-file-only-secret = 비밀 설정만 파일에서 읽을 수 있습니다: { $key } 자체를 설정하세요
file-not-regular = 일반 파일이 아닙니다
file-too-large = { $limit }바이트보다 큽니다
file-not-utf8 = UTF-8 텍스트 파일이 아닙니다
file-not-found = 파일이 없습니다
file-permission-denied = 권한이 없습니다
file-other = { $detail }

## 값 형식의 이름

type-string = 문자열
type-path = 경로
type-boolean = 불리언
type-integer = 정수
type-number = 숫자
type-list = 쉼표로 구분한 목록
type-duration = 기간
type-email = 이메일 주소
type-host = 호스트 이름 또는 IP 주소
type-mailbox = 메일 주소(이름 <주소>)
type-port = 포트
type-url = URL
type-ip = IP 주소
type-ipv4 = IPv4 주소
type-ipv6 = IPv6 주소
type-socket = 소켓 주소(IP:포트)
type-smtp-url = URL(smtp://, smtps://)
type-rate = 전송 속도(messages/s, /min, /h, /day)
type-percentage = 백분율
type-level = 수준
type-wait-local-fail = "wait", "local", "fail" 중 하나
type-value = 값
type-provider = 메일 서비스(gmail, microsoft365, ses:REGION… 목록은 "mailconf providers" 참고)

## 설정 출처 (mailconf-core)

source-json-not-object = 변수 이름을 키로 하는 JSON 객체여야 합니다
source-json-parse = JSON을 해석할 수 없습니다({ $line }번째 줄, { $column }번째 열)
source-json-not-scalar = 문자열, 숫자, 불리언 중 하나여야 합니다
source-json-not-scalar-hint = 목록은 쉼표로 구분한 문자열 하나로 쓰세요
source-env-not-utf8 = 값이 올바른 UTF-8이 아닙니다
source-env-not-utf8-hint = 변수를 UTF-8 텍스트로 설정하세요
source-dotenv-unreadable = .env 파일 { $path }을(를) 읽을 수 없습니다: { $reason }
source-dotenv-line = .env 파일의 이 줄을 해석할 수 없습니다({ $column }번째 문자)
source-dotenv-unparsable = { $path }을(를) 해석할 수 없습니다
source-dotenv-hint = 각 줄은 KEY=value 형식이어야 합니다. 공백이나 #이 들어간 값은 따옴표로 감싸세요

## .env 파일 쓰기 (mailconf-core dotenv_file)

dotenv-control = 값의 { $position }번째 위치에 제어 문자 { $character }이(가) 있습니다. .env 값은 한 줄이어야 하고 제어 문자를 담을 수 없습니다
dotenv-quote-with = 값에 작은따옴표(')와 { $character }이(가) 함께 있습니다({ $position }번째 위치). '가 든 값은 큰따옴표로 감싸야 하는데, 큰따옴표 안에서 bash와 dotenvy는 { $character }을(를) 특수하게 해석하고 Node의 dotenv는 그렇지 않습니다. 둘 중 하나를 지우세요
dotenv-double-backslash = 값의 { $position }번째 위치에 백슬래시 두 개(\\)가 연달아 있습니다. python-dotenv와 pydantic-settings는 이를 백슬래시 하나로, 다른 도구는 두 개로 읽습니다
dotenv-trailing-backslash = 값이 백슬래시(\)로 끝납니다. python-dotenv와 pydantic-settings는 이를 닫는 따옴표의 이스케이프로 읽습니다
dotenv-interpolation = 값의 { $position }번째 위치에 {"${…}"}이(가) 있습니다. python-dotenv와 pydantic-settings는 따옴표와 관계없이 이를 환경 변수 값으로 바꾸고, 다른 도구는 그렇지 않습니다
dotenv-key = { $key }은(는) 모든 .env 도구가 받아들이는 변수 이름이 아닙니다. 영문자, 숫자, _만 쓰고 숫자로 시작하지 마세요
dotenv-char-double-quote = 큰따옴표(")
dotenv-char-backslash = 백슬래시(\)
dotenv-char-dollar = 달러 기호($)
dotenv-char-backquote = 백쿼트(`)
dotenv-char-other = 다른 특수 문자
type-rates = 전송 속도(messages/s, /min, /h, /day, 여러 개는 쉼표로 구분)

## 전송 제한 (mailconf-smtp rate)

rate-hint = 5/s, 100/min, 1000/h, 50000/day 형식으로 쓰세요
rate-count-and-period = 개수와 기간이 있어야 합니다
rate-count-positive = 개수는 0보다 큰 정수여야 합니다
rate-unknown-period = 알 수 없는 기간입니다
rate-limits-hint = 14/s처럼 제한 하나를 쓰거나, 14/s,50000/day처럼 쉼표로 구분해 여러 개를 쓰세요
rate-limits-in-part = `{ $part }`에서: { $reason }
rate-limits-empty = 제한이 하나 이상 있어야 합니다
rate-limits-same-period = { $first }와(과) { $second }은(는) 같은 기간을 제한합니다. 의도한 하나만 남기세요
rate-limits-too-many = { $limit }은(는) 한 구간에 { $max }개보다 많은 메시지를 셉니다
rate-limits-too-many-hint = 할당량 구간은 센 메시지를 모두 기억합니다. 시간당 제한처럼 더 짧은 기간을 쓰세요

## TLS 방식과 포트 (mailconf-smtp security)

security-starttls = STARTTLS
security-starttls-sound = STARTTLS를 쓰는 평문 SMTP
security-starttls-keep = STARTTLS를 유지하려면
security-implicit-tls = 암시적 TLS
security-implicit-tls-sound = 암시적 TLS(첫 바이트부터 TLS)
security-implicit-tls-keep = 암시적 TLS를 유지하려면
security-plain = TLS 없음
security-plain-sound = STARTTLS 없는 평문 SMTP
security-plain-keep = 평문을 유지하려면
security-port-expects-tls = { $port }번 포트는 첫 바이트부터 TLS(암시적 TLS)를 기대하는데 { $mode }(으)로 설정되어 있습니다: 클라이언트가 오지 않을 평문 인사말을 기다리다가 시간 초과될 때까지 전송이 멈춥니다
security-port-expects-plain = { $port }번 포트는 평문으로 시작해 STARTTLS로 전환하는데 { $mode }(으)로 설정되어 있습니다: 핸드셰이크가 "wrong version number"(OpenSSL) 또는 "InvalidContentType"(rustls) 오류로 실패합니다
security-port-fix = { $port }번 포트에는 { $flags }로 설정하세요. { $keep } { $port_key }={ $usual_port }로 설정하세요
security-tls-choices = 포트 { $starttls_port }: { $starttls_flags }; 포트 { $implicit_port }: { $implicit_flags }
security-usual-tls-ports = 서버의 STARTTLS 포트(보통 { $starttls_port }) 또는 암시적 TLS 포트(보통 { $implicit_port })

## SMTP 설정 사이의 규칙 (mailconf-smtp rules)

rule-from-name-conflict = { $from }에 표시 이름이 있는데 { $from_name }이(가) 다른 이름을 지정합니다: 어느 쪽을 보낼지 알 수 없습니다
rule-from-name-conflict-hint = { $from }에는 주소만 남기거나, { $from_name }을(를) 지우세요
rule-url-gives-endpoint = { $url }에 서버, 포트, TLS 방식이 이미 들어 있습니다
rule-url-gives-endpoint-hint = { $url }와(과) { $server }, { $port }, { $starttls }, { $ssl_tls }(또는 { $provider }) 중 한쪽만 쓰세요
rule-url-gives-username = { $url }에 로그인 이름이 이미 들어 있습니다
rule-url-gives-username-hint = { $username }을(를) 지우거나 { $url }에서 사용자를 지우세요
rule-url-gives-password = { $url }에 비밀번호가 이미 들어 있습니다
rule-url-gives-password-hint = { $password }을(를) 지우거나 { $url }에서 비밀번호를 지우세요
rule-both-tls = { $starttls }와(과) { $ssl_tls }이(가) 모두 true인데, 연결은 둘 중 하나만 씁니다
rule-set-username = { $username }을(를) 설정하거나, 서버에 로그인이 필요 없으면 { $use_credentials }=false로 설정하세요
rule-set-password = { $password }(또는 { $password }_FILE)를 설정하거나, 서버에 로그인이 필요 없으면 { $use_credentials }=false로 설정하세요
rule-password-in-clear = 비밀번호가 암호화되지 않은 채 { $host }(으)로 전송됩니다: TLS가 설정되어 있지 않습니다
rule-password-in-clear-hint = TLS를 쓰세요({ $choices }). 신뢰할 수 있는 네트워크라면 { $allow_insecure_auth }=true로 허용할 수 있습니다
warning-certificates-not-checked = 인증서 검사가 꺼져 있습니다: 네트워크 경로에 있는 누구나 서버로 위장해 비밀번호를 읽을 수 있습니다
warning-certificates-not-checked-hint = 검사를 끄는 대신 MAIL_CA_FILE로 사설 CA를 신뢰하게 하세요
warning-from-domain-mismatch = MAIL_FROM은 { $from_domain } 주소인데 로그인은 { $login_domain } 계정입니다: 많은 서버가 자기 것이 아닌 발신자를 거부하거나 바꾸고, 수신 측은 이를 의심할 수 있습니다(SPF/DMARC)
warning-from-domain-mismatch-hint = 로그인 계정의 도메인 주소로 보내거나, 서버가 이 주소로 보낼 수 있는지 확인하세요
warning-insecure-auth = 비밀번호가 암호화되지 않은 채 { $host }(으)로 전송됩니다
warning-insecure-auth-hint = 신뢰할 수 있는 네트워크가 아니라면 STARTTLS나 암시적 TLS를 쓰세요
warning-underscore-in-host = { $host }에 DNS 호스트 이름에 쓸 수 없는 `_`가 있습니다: 로컬 리졸버(Docker Compose 서비스 이름, /etc/hosts)로만 찾을 수 있고, 공인 CA는 이런 이름에 인증서를 발급하지 않습니다
warning-underscore-in-host-hint = mail_hog 같은 Docker Compose 서비스라면 괜찮습니다. 실제 서버에는 DNS 이름(`_` 대신 `-`)을 쓰세요
warning-provider-overridden = MAIL_SERVER={ $server } 설정이 { $provider }의 서버 { $host }을(를) 대신합니다
warning-provider-overridden-hint = 같은 제공자의 다른 서버(예: smtp.zoho.eu)라면 괜찮습니다. 아니라면 MAIL_SERVER나 MAIL_PROVIDER를 지우세요
warning-provider-port = { $server }은(는) { $provider }의 서버이고, 포트 { $offers }에서 서비스합니다({ $port }이(가) 아닙니다)
warning-provider-port-hint = MAIL_PORT={ $port }와(과) { $flags }로 설정하세요(참고: { $source })

## SMTP 설정 (mailconf-smtp config, url, CA 파일, Redis)

field-port-hint = SMTP 제출(submission)에는 587(STARTTLS) 또는 465(암시적 TLS)를 씁니다
field-server-hint = 메일 서비스 제공자의 설정에 나온 SMTP 서버(예: smtp.gmail.com)를 smtp://나 포트 없이 쓰세요
smtp-url-hint = smtps://user:password@smtp.example.com 또는 smtp://user:password@smtp.example.com:587?tls=required 형식으로 쓰세요
smtp-url-scheme = 스킴은 smtp:// 또는 smtps://여야 합니다
smtp-url-opportunistic = tls=opportunistic은 지원하지 않습니다: 서버가 STARTTLS를 제공하지 않으면 조용히 평문으로 보내기 때문입니다
smtp-url-opportunistic-hint = ?tls=required를 쓰세요
smtp-url-tls-parameter = tls 매개변수는 `required`여야 합니다(smtp://에서만)
smtp-url-query = 쓸 수 있는 쿼리 매개변수는 tls=required뿐입니다
smtp-url-path = URL에 경로가 있습니다
smtp-url-path-hint = 경로를 지우세요. EHLO 이름은 LOCAL_HOSTNAME으로 지정합니다
smtp-url-fragment = URL에 #프래그먼트가 있습니다(비밀번호 안의 `#`은 %23으로 써야 합니다)
smtp-url-no-host = URL에 호스트가 없습니다
smtp-url-percent = 사용자 이름이나 비밀번호가 올바른 퍼센트 인코딩 UTF-8이 아닙니다
smtp-name-line-break = 표시 이름에는 줄바꿈을 쓸 수 없습니다
smtp-pool-empty = 연결 풀에는 연결이 하나 이상 있어야 합니다
ca-unreadable = 파일을 읽을 수 없습니다: { $reason }
ca-der = PEM이 아닙니다(DER 감지): 파일에 바이너리 인증서가 들어 있습니다
ca-binary = PEM이 아닙니다: 파일에 바이너리 데이터가 들어 있습니다
ca-no-certificate = 파일에 PEM 인증서가 없습니다
ca-der-hint = `openssl x509 -inform der -in { $file } -out { $file }.pem`으로 PEM으로 변환한 뒤 .pem 파일을 쓰세요
ca-binary-hint = { $marker } 블록이 있는 PEM 파일을 지정하세요(DER 인증서는 `openssl x509 -inform der -in { $file } -out { $file }.pem`으로 변환합니다)
ca-no-certificate-hint = { $marker } 블록이 있는 파일을 지정하세요
ca-explain = { $reason }; { $hint }
rate-failure-expected = wait, local, fail 중 하나여야 합니다
rate-failure-hint = wait는 Redis가 돌아올 때까지 메일을 붙잡아 둡니다(기본값). local은 이 프로세스의 제한으로 대신합니다. fail은 전송을 실패시킵니다
rate-shared-needs-limit = 공유 제한에는 { $rate_limit }이(가) 필요한데 설정되어 있지 않습니다
rate-shared-needs-limit-hint = 모든 프로세스가 공유할 제한을 { $rate_limit }에 설정하거나(예: 14/s), { $redis_url }을(를) 지우세요
rate-needs-redis = Redis로 공유하는 제한에서만 쓰는 설정인데, { $redis_url }이(가) 설정되어 있지 않습니다
rate-needs-redis-hint = 제한을 공유하려면 { $redis_url }(redis://host:6379)을 설정하고, 아니면 이 설정을 지우세요
rate-redis-not-built = 이 프로그램은 Redis 클라이언트 없이 빌드되어 전송 제한을 공유할 수 없습니다
rate-redis-not-built-hint = mailconf-smtp의 `redis` 기능을 켜거나(mailconf-smtp = {"{"} version = "0.1", features = ["redis"] {"}"}), 제한을 이 프로세스 안에서만 쓰려면 { $redis_url }을(를) 지우세요
rate-redis-url-hint = redis://host:6379, rediss://:password@host:6380/0 형식으로 쓰세요. Cluster는 쉼표로 구분해 여러 개를 씁니다. 비밀번호는 MAIL_RATE_LIMIT_REDIS_URL_FILE로 지정할 수도 있습니다
rate-redis-scheme = 스킴이 redis나 rediss가 아니라 { $scheme }입니다
rate-redis-refused = Redis 클라이언트가 이 URL을 받아들이지 않습니다
rate-key-chars = 키는 공백, {"{"}, {"}"} 없이 출력 가능한 ASCII 문자 1~200자여야 합니다
rate-key-chars-hint = 예: myapp-ses. Redis Cluster 해시 태그는 mailconf가 직접 붙입니다

## 다른 라이브러리의 규칙 (mailconf-smtp compat, check --compat fastapi-mail)

compat-int-flag = fastapi-mail은 이 { $key } 값을 거부합니다: 0 또는 1인 숫자(`conint(gt=-1, lt=2)`)라서 pydantic이 true/false를 거부합니다
compat-int-flag-hint = { $key }=1 또는 { $key }=0으로 쓰세요
compat-timeout = fastapi-mail은 이 TIMEOUT 값을 거부합니다: 단위 없는 정수 초(`int`)여야 합니다
compat-timeout-hint = TIMEOUT=30처럼 초만 쓰세요
compat-sender = fastapi-mail은 이 MAIL_FROM 값을 거부합니다(pydantic의 EmailStr): { $reason }
compat-sender-hint = app@example.com처럼 소유한 공개 도메인의 주소로 보내세요
compat-template-folder = fastapi-mail은 이 TEMPLATE_FOLDER 값을 거부합니다: 존재하는 디렉터리여야 합니다(pydantic의 DirectoryPath)
compat-template-folder-hint = 폴더를 만들거나, 경로를 고치거나(상대 경로는 작업 디렉터리 기준입니다), 이 설정을 지우세요
compat-missing = fastapi-mail에는 { $key }이(가) 필요합니다: ConnectionConfig에 이 설정의 기본값이 없습니다
compat-missing-login-hint = fastapi-mail은 USE_CREDENTIALS=False여도 { $key }이(가) 필요합니다: 서버에 로그인이 필요 없으면 빈 값({ $key }=)으로 설정하세요
compat-missing-url-hint = fastapi-mail은 MAIL_URL을 읽지 않습니다: { $key }도 설정하세요(그러면 mailconf는 충돌로 거부하므로 MAIL_URL은 지우세요)
compat-missing-hint = { $key }을(를) 설정하세요
compat-missing-file-hint = fastapi-mail은 { $key }_FILE을 읽지 않습니다: { $key } 자체를 설정하세요
compat-sender-name-quotes = 표시 이름에 pydantic이 따옴표로 감싼 이름에서만 읽는 문자(, ( ) @ 등)가 있습니다
compat-sender-bracketed-ip = @ 뒤에 대괄호로 감싼 IP 주소는 쓸 수 없습니다.
compat-sender-final-period = 이메일 주소는 마침표로 끝날 수 없습니다.
compat-sender-underscore = @ 뒷부분에 쓸 수 없는 문자 '_'가 있습니다.
compat-sender-special-use = @ 뒷부분이 이메일에 쓸 수 없는 특수 용도 또는 예약된 이름입니다.
compat-sender-no-period = @ 뒷부분이 유효하지 않습니다. 마침표가 있어야 합니다.
compat-sender-numeric-tld = @ 뒷부분이 유효하지 않습니다. 유효한 최상위 도메인이 아닙니다.

## 메일 서비스 제공자 프리셋 (mailconf-smtp providers, MAIL_PROVIDER)

provider-offer = { $port }({ $mode })
provider-offers = { $offers }
provider-port-not-offered = { $provider }은(는) 포트 { $offers }에서 서비스하며, { $port }번 포트는 제공하지 않습니다
provider-port-not-offered-hint = { $port_key }을(를) 이 중 하나로 설정하거나, 프리셋({ $preset_port } { $preset_mode })을 쓰려면 지우세요
provider-mode-mismatch = { $provider }은(는) { $port }번 포트에서 { $offered }을(를) 쓰는데, { $mode }(으)로 설정되어 있습니다
provider-mode-mismatch-hint = { $flags }로 설정하세요
provider-mode-not-offered = { $provider }은(는) { $mode }을(를) 제공하지 않습니다: 포트 { $offers }에서 서비스합니다
provider-mode-not-offered-hint = 프리셋({ $preset_port } { $preset_mode })을 쓰려면 { $starttls }와(과) { $ssl_tls }을(를) 지우세요
provider-unknown = 알 수 없는 메일 서비스 제공자입니다
provider-unknown-hint = { $ids } 중 하나를 쓰세요. 또는 이 값을 비워 두고 MAIL_SERVER, MAIL_PORT와 TLS 플래그를 설정하세요
provider-needs-region = { $provider }에는 리전이 필요합니다
provider-needs-region-hint = SMTP 자격 증명의 리전을 붙여 { $id }:REGION 형식으로 쓰세요(예: { $id }:eu-west-1)
provider-has-no-region = { $provider }에는 리전이 없습니다
provider-has-no-region-hint = { $id }(으)로 쓰세요

## 설정 페이지 (examples/settings-page; issue 17). page-label-*, page-help-*는 설정 항목의 이름과
## 설명입니다(MAIL_SERVER는 page-label-mail-server). provider-note-*는 프리셋의 안내입니다.

page-title = SMTP 설정
page-lead = 이 애플리케이션이 메일을 보내는 방법입니다. 저장할 때 모든 설정을 검사하고, 문제를 한 번에 모두 보여 줍니다.
page-language = 언어
page-sign-out = 로그아웃
page-needs-js = 이 페이지를 쓰려면 JavaScript가 필요합니다.
page-token-title = 관리자 토큰
page-token-text = 설정 페이지를 시작할 때 지정한 토큰("--token" 옵션 또는 SETTINGS_PAGE_TOKEN)을 입력하세요. 토큰은 이 탭에만 보관됩니다.
page-continue = 계속
page-save = 설정 저장
page-test = 연결 테스트
page-saving = 저장하는 중…
page-testing = 연결을 테스트하는 중…
page-unreachable = 페이지가 서버에 연결할 수 없습니다: { $reason }
page-unexpected = 서버가 예상하지 못한 응답을 보냈습니다(HTTP { $status }).
page-token-refused = 토큰이 거부되었습니다: { $reason }
page-enter-token = 토큰을 입력하세요.
page-could-not-start = 페이지를 시작할 수 없습니다: { $reason }
page-request-failed = 요청이 실패했습니다(HTTP { $status }).
page-required = 필수
page-control-required = { $label }: 필수 항목입니다
page-fastapi-only = fastapi-mail 전용
page-fastapi-only-help = fastapi-mail 애플리케이션이 읽는 설정이며, mailconf 자체는 사용하지 않습니다.
page-remove-saved = 저장된 값 삭제
page-secret-saved = 저장된 값이 있습니다(표시하지 않음). 그대로 두려면 비워 두세요.
page-secret-none = 아직 저장된 값이 없습니다.
page-secret-placeholder = •••••••• (저장됨)
page-not-a-number = 숫자가 아닙니다
page-whole-number = 정수를 입력하세요
page-group-server = 서버
page-group-encryption = 암호화
page-group-login = 로그인
page-group-sender = 보내는 사람
page-group-advanced = 고급 설정
page-tls-label = 암호화
page-tls-help = STARTTLS는 평문 연결을 암호화 연결로 전환하고(보통 { $starttls_port }번 포트), 암시적 TLS는 첫 바이트부터 암호화합니다(보통 { $implicit_port }번 포트). 연결은 둘 중 하나만 쓰므로 이 선택 하나로 두 변수를 함께 설정합니다.
page-mode-option = { $name } ({ $port }번 포트)
page-mode-option-trusted = { $name } ({ $port }번 포트, 신뢰할 수 있는 네트워크에서만)
page-mode-not-set = 설정 안 함(MAIL_URL이 연결을 지정)
page-provider-label = 메일 서비스
page-provider-help = 메일 서비스가 문서에 밝힌 서버, 포트, 암호화 설정을 채웁니다. 채운 뒤에도 모든 항목을 고칠 수 있습니다.
page-provider-other = 기타(아래에 서버 입력)
page-provider-note = { $note } ({ $source })
page-problems-not-saved = 문제 { $count }개: 아무것도 저장하지 않았습니다
page-problems-before-test = 문제 { $count }개: 고친 뒤에 테스트하세요
page-changed = 변경했습니다: { $fix }. 연결을 다시 테스트한 뒤 저장하세요.
page-details = 자세한 내용: { $detail }
page-test-passed = 연결 테스트를 통과했습니다. { $message }
page-saved = 설정을 저장했습니다.
page-saved-warnings = 설정을 저장했습니다. 경고 { $count }개
page-step-dns = DNS 조회
page-step-tcp = TCP 연결
page-step-tls = TLS 핸드셰이크
page-step-greeting = 서버 인사말
page-step-ehlo = EHLO 응답
page-step-starttls = STARTTLS 전환
page-step-oauth2-token = OAuth2 토큰 발급
page-step-login = 로그인
page-step-quit = QUIT 종료
page-step-line = { $mark } { $step } ({ $millis } ms): { $detail }
page-set-encryption = ‘암호화’ 항목을 { $mode }
page-quoted = ‘{ $label }’
page-tick = { $label } 항목을 켜기
page-untick = { $label } 항목을 끄기
page-set-to = { $label } 항목을 { $value }
page-insecure-message = 암호화: STARTTLS를 선택하거나, 고급 설정에서 평문 로그인을 허용하세요
page-insecure-hint = 평문 로그인은 네트워크의 누구나 비밀번호를 읽을 수 있게 합니다. 신뢰할 수 있는 네트워크에서만 허용하세요.
page-label-file = { $label } (파일)
page-help-file = { $key } 값을 담은 파일의 경로입니다.
page-label-mail-username = 사용자 이름
page-help-mail-username = SMTP 서버의 로그인 이름으로, 보통 이메일 주소입니다.
page-label-mail-password = 비밀번호
page-help-mail-password = 로그인 비밀번호(또는 앱 비밀번호)입니다.
page-label-mail-port = 포트
page-help-mail-port = SMTP 포트입니다. STARTTLS는 587, 암시적 TLS는 465를 씁니다. MAIL_URL이나 MAIL_PROVIDER를 설정하지 않았다면 필수입니다.
page-label-mail-server = 서버
page-help-mail-server = SMTP 서버 호스트 이름입니다(예: smtp.example.com). MAIL_URL이나 MAIL_PROVIDER를 설정하지 않았다면 필수입니다.
page-label-mail-starttls = STARTTLS 사용
page-help-mail-starttls = 연결을 STARTTLS로 전환합니다(587번 포트).
page-label-mail-ssl-tls = 암시적 TLS 사용
page-help-mail-ssl-tls = 첫 바이트부터 TLS를 씁니다(465번 포트).
page-label-use-credentials = 로그인 사용
page-help-use-credentials = MAIL_USERNAME과 MAIL_PASSWORD로 로그인합니다.
page-label-mail-url = 연결 URL
page-help-mail-url = 연결 전체를 URL 하나로 지정합니다: smtps://user:pass@host:465, STARTTLS라면 smtp://user:pass@host:587?tls=required.
page-label-mail-provider = 메일 서비스 프리셋
page-help-mail-provider = MAIL_SERVER, MAIL_PORT와 TLS 플래그를 채우는 프리셋입니다(예: gmail, microsoft365, ses:eu-west-1. 목록은 "mailconf providers" 명령으로 볼 수 있습니다). 직접 설정한 값이 우선합니다.
page-label-mail-allow-insecure-auth = 평문 로그인 허용
page-help-mail-allow-insecure-auth = 이 컴퓨터가 아닌 호스트에 평문으로 로그인하는 것을 허용합니다.
page-label-mail-oauth2-token-url = OAuth2 토큰 URL
page-help-mail-oauth2-token-url = OAuth2 토큰 엔드포인트입니다(https, 이 컴퓨터라면 http도 가능). 설정하지 않으면 MAIL_PROVIDER=microsoft365와 MAIL_OAUTH2_TENANT, 또는 gmail이 정해 줍니다.
page-label-mail-oauth2-client-id = OAuth2 클라이언트 ID
page-help-mail-oauth2-client-id = OAuth2 클라이언트(애플리케이션) ID입니다. 설정하면 MAIL_USERNAME을 메일함으로 삼아 XOAUTH2로 로그인합니다.
page-label-mail-oauth2-client-secret = OAuth2 클라이언트 시크릿
page-help-mail-oauth2-client-secret = 클라이언트 자격 증명 그랜트에 필요하고, 리프레시 토큰에도 필요할 수 있습니다.
page-label-mail-oauth2-refresh-token = OAuth2 리프레시 토큰
page-help-mail-oauth2-refresh-token = 메일함 사용자의 리프레시 토큰입니다. 리프레시 토큰 그랜트를 쓰며, 없으면 클라이언트 자격 증명 그랜트를 씁니다.
page-label-mail-oauth2-scope = OAuth2 범위
page-help-mail-oauth2-scope = 공백으로 구분한 범위(scope)입니다. 설정하지 않으면 메일 서비스의 SMTP 범위를 씁니다.
page-label-mail-oauth2-tenant = Microsoft Entra 테넌트
page-help-mail-oauth2-tenant = 테넌트 ID 또는 도메인입니다. MAIL_PROVIDER=microsoft365와 함께 쓰면 토큰 URL을 정해 줍니다.
page-label-mail-oauth2-service-account-file = Google 서비스 계정 키
page-help-mail-oauth2-service-account-file = 서비스 계정의 키 파일(JSON)입니다. MAIL_USERNAME으로 동작하는 JWT 베어러 그랜트를 씁니다(도메인 전체 위임).
page-label-mail-access-token-file = 액세스 토큰 파일
page-help-mail-access-token-file = 다른 프로그램(사이드카)이 계속 갱신하는 액세스 토큰 파일입니다. 바뀔 때마다 다시 읽습니다.
page-label-mail-from = 보내는 사람 주소
page-help-mail-from = 모든 메일의 보내는 사람입니다: app@example.com 또는 "Example App <app@example.com>". MAIL_FROM_NAME을 설정하지 않으면 이 이름을 씁니다.
page-label-mail-from-name = 보내는 사람 이름
page-help-mail-from-name = 주소와 함께 보이는 이름입니다(예: "Example App").
page-label-validate-certs = 인증서 검증
page-help-validate-certs = 서버 인증서를 검증합니다. 끄면 누군가 서버를 사칭할 수 있습니다.
page-label-timeout = 시간 제한
page-help-timeout = 메일 한 통을 보내는 전체 과정(연결, TLS, 로그인, 전달)의 시간 제한입니다: 30s, 2m 또는 초 단위 숫자.
page-label-suppress-send = 전송하지 않음
page-help-suppress-send = 메일을 실제로 보내지 않고 기록만 합니다(애플리케이션 테스트용).
page-label-local-hostname = 로컬 호스트 이름
page-help-local-hostname = EHLO와 함께 보내는 이름입니다. 설정하지 않으면 시스템 호스트 이름을 씁니다.
page-label-mail-ca-file = 추가 CA 인증서
page-help-mail-ca-file = 추가로 신뢰할 루트 인증서(PEM)입니다(예: 사설 CA). CERT_BUNDLE로도 지정할 수 있습니다.
page-label-mail-debug = 자세한 SMTP 로그
page-help-mail-debug = fastapi-mail의 자세한 SMTP 로그 설정입니다. mailconf는 tracing으로 로그를 남깁니다.
page-label-template-folder = 템플릿 폴더
page-help-template-folder = 템플릿 메일에 쓰는 Jinja2 템플릿 폴더입니다("templates" 기능). Mailer를 만들 때 읽어서 검사합니다.
page-label-mail-rate-limit = 전송 한도
page-help-mail-rate-limit = 기간당 보낼 수 있는 최대 메일 수입니다(예: 100/min, 5/s). 모두 지켜야 하는 여러 구간은 쉼표로 구분합니다(예: 14/s,50000/day).
page-label-mail-rate-limit-redis-url = 공유 한도용 Redis
page-help-mail-rate-limit-redis-url = 이 Redis를 통해 같은 MAIL_RATE_LIMIT_KEY를 쓰는 모든 프로세스와 MAIL_RATE_LIMIT를 나눠 씁니다: redis://[:password@]host:6379, TLS라면 rediss://.
page-label-mail-rate-limit-key = 공유 한도 이름
page-help-mail-rate-limit-key = Redis에 둔 공유 한도의 이름입니다(기본값: SMTP 서버 호스트 이름). 이름이 같은 프로세스는 한도 하나를 함께 씁니다.
page-label-mail-rate-limit-redis-failure = Redis에 연결할 수 없을 때
page-help-mail-rate-limit-redis-failure = "wait"(기본값: 메일을 보류하고 한도를 넘지 않음), "local"(이 프로세스만의 한도), "fail" 중 하나입니다.
page-label-mail-rate-limit-redis-cluster = Redis 클러스터
page-help-mail-rate-limit-redis-cluster = MAIL_RATE_LIMIT_REDIS_URL에 Redis 클러스터의 시드 노드를 나열합니다.
page-label-mail-pool-size = 연결 풀 크기
page-help-mail-pool-size = 동시에 열어 둘 수 있는 최대 연결 수입니다.
page-api-invalid = 설정에 문제가 { $count }개 있습니다. 아무것도 저장하지 않았습니다
page-api-not-found = 없는 API 엔드포인트입니다. GET /api/schema, GET·POST /api/config, POST /api/config/test를 참고하세요
page-api-method = 이 엔드포인트는 그 메서드를 받지 않습니다
page-api-not-json = 설정은 Content-Type: application/json인 JSON 객체로 보내세요
page-api-too-large = 본문이 { $kib } KiB보다 큽니다
page-api-unreadable-body = 요청 본문을 읽을 수 없습니다
page-api-not-an-object = 변수 이름을 키로 하는 JSON 객체여야 합니다(예: {"{"}"MAIL_SERVER": "smtp.example.com"{"}"})
page-api-invalid-json = 본문이 올바른 JSON이 아닙니다: { $reason }
page-api-unreadable = 설정 파일을 읽을 수 없습니다: { $reason }
page-api-keep-secret = 저장된 비밀번호를 유지할 수 없습니다: { $reason }
page-api-not-saved = 설정을 저장하지 못했습니다: { $reason }. 기존 설정 파일은 바뀌지 않았습니다.
page-api-not-written = 아무것도 저장하지 않았습니다: { $reason }
page-api-not-load-back = 저장한 .env 파일에서 설정을 다시 읽을 수 없어 아무것도 저장하지 않았습니다
page-api-save-failed = 설정을 저장하지 못했습니다: { $reason }
page-api-missing-token = 이 API에는 관리자 토큰이 필요합니다: "Authorization: Bearer <토큰>" 헤더를 보내세요
page-api-wrong-token = 관리자 토큰이 올바르지 않습니다
page-api-too-many = 이 주소에서 틀린 관리자 토큰을 너무 많이 보냈습니다: { $seconds }초 뒤에 다시 시도하세요
page-api-untrusted-host = Host 헤더가 이 페이지의 주소도 아니고, 시작할 때 "--origin"으로 지정한 출처도 아닙니다
page-api-no-origin = 거부했습니다: 설정을 바꾸는 요청에는 Origin 헤더가 있어야 합니다(브라우저는 자동으로 보내며, 스크립트는 이 페이지의 출처로 설정해야 합니다)
page-api-cross-origin = 거부했습니다: { $origin }에서 온 교차 출처 요청입니다. 설정은 이 페이지와 같은 출처에서만 바꿀 수 있습니다
page-files-disabled = 이 페이지는 파일 경로를 받지 않습니다: "--files-dir" 옵션 없이 시작했습니다
page-files-disabled-hint = 이 변수는 애플리케이션의 환경에 설정하거나, 페이지를 "--files-dir FOLDER" 옵션으로 다시 시작하세요
page-files-outside = 이 페이지는 시작할 때 "--files-dir"로 지정한 폴더 안의 파일만 받습니다
page-files-outside-hint = 파일을 그 폴더에 두고 전체 경로를 입력하세요
page-not-a-variable-name = { $key }은(는) .env 파일의 변수 이름이 될 수 없습니다
page-not-writable-hint = 그 문자를 바꾸세요: .env 파일이 이 값을 읽는 모든 프로그램에 정확히 그대로 돌려줄 수 없습니다
page-port-refused = 거부했습니다: 연결 테스트는 SMTP 포트 25, 465, 587, 2525에만 연결하며 { $port }번 포트에는 연결하지 않습니다. 허용하려면 페이지를 "--allow-port { $port }" 옵션으로 다시 시작하세요
page-host-refused = 거부했습니다: 이 페이지는 시작할 때 지정한 SMTP 호스트만 테스트할 수 있는데 { $host }은(는) 그중 하나가 아닙니다({ $allowed }). 허용하려면 "--allow-host { $host }" 옵션으로 다시 시작하세요
page-host-none-allowed = 허용된 호스트가 없습니다: "--allow-host" 옵션 없이 시작했습니다
page-host-allowed = 허용된 호스트: { $hosts }
page-host-special = 거부했습니다: { $host }의 주소 { $ip }은(는) { $kind }(이)라서 따로 허용해야 합니다. 허용하려면 "--allow-host { $ip }" 옵션도 함께 지정해 페이지를 다시 시작하세요
page-host-unresolved = { $host }의 주소를 찾을 수 없습니다: { $reason }
page-host-no-answer = { $host }의 주소를 찾을 수 없습니다: { $seconds }초 안에 응답이 없습니다
page-host-no-address = { $host }에는 주소가 없습니다
page-address-loopback = 루프백 주소
page-address-private = 사설 네트워크 주소
page-address-link-local = 링크 로컬 주소(클라우드 메타데이터 서비스 등)
page-address-unspecified = 지정되지 않은 주소
page-address-cgnat = 통신사급 NAT 주소
page-address-multicast = 멀티캐스트 또는 예약된 주소
page-address-reserved = 예약된 주소
page-address-unique-local = 사설 네트워크(고유 로컬) 주소
page-address-documentation = 문서용 주소
page-probe-timeout = 서버가 { $seconds }초 안에 테스트를 마치지 못했습니다
page-test-connected = { $address }: { $mode }(으)로 연결했습니다. 메일은 보내지 않았습니다
page-test-connected-login = { $address }: { $mode }(으)로 연결했고 로그인도 성공했습니다. 메일은 보내지 않았습니다
page-step-failed = { $step } 단계 실패: { $detail }
page-test-not-passed = 테스트를 통과하지 못했습니다
page-diag-mode = 이 포트의 서버는 { $want } 방식인데 암호화가 { $have }(으)로 설정되어 있습니다: { $want } 방식을 선택하세요.
page-diag-use = { $mode } 사용
page-diag-dns = 서버 이름을 찾을 수 없습니다: 서버를 확인하세요.
page-diag-tcp = 이 서버와 포트에서 아무도 응답하지 않습니다: 서버와 포트를 확인하세요.
page-diag-tls = 보안 연결을 맺지 못했습니다: 암호화와 고급 설정의 인증서 설정을 확인하세요.
page-diag-login = 서버가 로그인을 거부했습니다: 사용자 이름과 비밀번호를 확인하세요.
page-diag-greeting = 서버가 SMTP 서버처럼 응답하지 않았습니다: 포트를 확인하세요.
page-diag-other = 연결 테스트를 통과하지 못했습니다.
provider-note-gmail = 앱 비밀번호(2단계 인증 필요) 또는 OAuth2(XOAUTH2). 하루 약 500통
provider-note-google-workspace = 앱 비밀번호 또는 OAuth2(XOAUTH2). 사용자당 하루 약 2,000통
provider-note-outlook = 전체 이메일 주소로 로그인
provider-note-microsoft365 = 메일함에 SMTP AUTH를 켜야 합니다. 기본 인증은 2026년 12월 말에 종료되므로 OAuth2(XOAUTH2)를 쓰세요
provider-note-yahoo = 앱 비밀번호
provider-note-icloud = 앱 전용 암호
provider-note-zoho = EU 계정은 smtp.zoho.eu를 씁니다(MAIL_SERVER 설정)
provider-note-fastmail = 앱 비밀번호
provider-note-ses = 리전이 필요합니다(ses:eu-west-1). AWS 액세스 키가 아닌 SMTP 자격 증명을 쓰며, 샌드박스에서는 인증된 수신자에게만 보낼 수 있습니다
provider-note-sendgrid = 로그인 이름은 글자 그대로 apikey, 비밀번호는 API 키
provider-note-mailgun = 도메인의 SMTP 자격 증명
provider-note-mailgun-eu = EU 리전의 도메인용
provider-note-postmark = 서버 API 토큰을 로그인 이름과 비밀번호 모두에 사용
provider-note-brevo = 계정 비밀번호가 아닌 SMTP 키
provider-note-mailjet = API 키를 로그인 이름으로, 시크릿 키를 비밀번호로 사용
provider-note-naver = 네이버 메일 환경설정 > POP3/IMAP 설정에서 POP3/SMTP를 사용으로 바꿔야 합니다. 2단계 인증을 쓰면 애플리케이션 비밀번호
provider-note-daum = 다음 메일 환경설정 > IMAP/POP3에서 IMAP/SMTP를 사용으로 바꿔야 합니다. 2단계 인증을 쓰면 앱 비밀번호
provider-note-proton = SMTP 토큰(사용자 지정 도메인이 있는 유료 요금제)

## 다른 라이브러리 키의 변환 (mailconf-smtp dialects)

dialect-assignment = { $key }={ $value }
dialect-assignment-secret = { $key }=<{ $what }>
dialect-value-of = { $key }의 값
dialect-notes = { $first }; { $next }
dialect-set-instead = 대신 다음과 같이 설정하세요: { $assignments }
dialect-set-instead-note = 대신 다음과 같이 설정하세요: { $assignments }. { $note }
dialect-remove = { $key }을(를) 지우세요: { $reason }
dialect-flask-max-emails = Flask-Mail의 연결당 메시지 수 제한에 해당하는 설정은 없습니다: mailconf는 풀의 연결을 재사용합니다(MAIL_POOL_SIZE). 전송 속도를 제한하려면 MAIL_RATE_LIMIT을 100/min처럼 설정하세요
dialect-flask-ascii-attachments = 필요 없습니다: mailconf는 모든 클라이언트가 읽을 수 있도록 첨부 파일 이름을 인코딩합니다(RFC 2231)
dialect-django-certfile = 클라이언트 인증서에 해당하는 설정은 없습니다: mailconf는 MAIL_USERNAME과 MAIL_PASSWORD로 로그인합니다(사설 CA를 신뢰하려면 MAIL_CA_FILE을 쓰세요)
dialect-django-keyfile = 클라이언트 인증서 키에 해당하는 설정은 없습니다: mailconf는 MAIL_USERNAME과 MAIL_PASSWORD로 로그인합니다
dialect-flag-not-bool = { $key }={ $value }은(는) true나 false가 아닙니다: 메일을 보내지 않고 기록만 하려면 { $target }=1, 아니면 { $target }=0으로 설정하세요
dialect-port-decides = { $mismatch }. 따라서 { $port }번 포트에는 { $mode }을(를) 쓰세요
dialect-both-tls = TLS 플래그가 둘 다 켜져 있는데, 연결은 둘 중 하나만 씁니다: { $port }번 포트는 { $mode }을(를) 씁니다
dialect-auto-starttls = 서버가 제공하면 STARTTLS로 전환하는 설정입니다. { $port }번 포트에서 mailconf는 STARTTLS를 필수로 씁니다
dialect-port-not-a-port = TLS 방식은 포트에 따라 정해지는데 { $value }은(는) 포트가 아닙니다: 포트부터 고치세요
dialect-default-port = { $dialect }은(는) 포트를 지정하지 않으면 { $port }번 포트로 연결합니다
dialect-tls-flag-not-bool = { $key }={ $value }은(는) true나 false가 아니라서 의도한 TLS 방식을 알 수 없습니다: True 또는 False로 쓰세요
dialect-smtp-secure-not-bool = SMTP_SECURE={ $value }은(는) true나 false가 아닙니다: true는 첫 바이트부터 TLS(포트 465)라는 뜻입니다
dialect-no-tls-keys = { $dialect }에는 TLS 키가 없습니다
dialect-laravel-scheme = MAIL_SCHEME={ $value }은(는) smtp도 smtps도 아닙니다: smtps라면 MAIL_SSL_TLS=True, smtp라면 MAIL_STARTTLS=True로 설정하세요
dialect-laravel-encryption = MAIL_ENCRYPTION={ $value }은(는) tls, ssl, null 중 어느 것도 아닙니다: { $choices }
dialect-laravel-mailer-smtp = 필요 없습니다: mailconf는 항상 SMTP로 보냅니다
dialect-laravel-mailer-log = Laravel의 { $value } 메일러는 메일을 보내지 않습니다. mailconf는 보내는 대신 기록합니다
dialect-laravel-mailer-other = MAIL_MAILER={ $value }은(는) SMTP가 아닌데, mailconf는 SMTP로만 보냅니다: 메일 서비스 제공자의 SMTP 서버를 설정한 뒤(MAIL_SERVER 또는 MAIL_PROVIDER) MAIL_MAILER를 지우세요
dialect-dsn-not-a-dsn = MAILER_DSN이 DSN 형식이 아닙니다({ $reason }): smtp://user:password@host:587 형식으로 쓰세요
dialect-dsn-null = Symfony의 null 전송은 메일을 버립니다. mailconf는 보내는 대신 기록합니다
dialect-dsn-transport = MAILER_DSN의 { $scheme }:// 전송은 일반 SMTP가 아닌데, mailconf는 SMTP로만 보냅니다: 메일 서비스 제공자의 SMTP 서버를 smtp://user:password@host:587 형식으로 쓰세요(또는 MAIL_PROVIDER를 설정하세요)
dialect-dsn-no-server = MAILER_DSN에 서버가 없습니다: smtp://user:password@host:587 형식으로 쓰세요
dialect-dsn-option = 옵션 { $option }에 해당하는 설정이 없어 빠졌습니다
dialect-dsn-password = MAILER_DSN 안의 비밀번호
dialect-dsn-login = MAILER_DSN의 사용자 이름이나 비밀번호가 올바른 퍼센트 인코딩 UTF-8이 아니거나 하나가 빠져 있습니다: 둘 다 넣어 smtp://user:password@host:587 형식으로 쓰세요

## mailconf 명령 (mailconf-cli)

cli-check-ok = 설정이 올바릅니다: { $host }:{ $port }, { $mode }
cli-warnings-header = 경고 { $count }개:
cli-settings-read = 읽은 설정:
cli-setting-read-as = { $value }({ $key }(으)로 읽음)
cli-not-sent = 보내지 않았습니다: { $what }
cli-send-setup = 메일러를 준비할 수 없습니다: { $reason }
cli-send-compose = 메시지를 만들 수 없습니다: { $reason }
cli-send-nothing = 아무것도 보내지 않았습니다: { $reason }
cli-send-suppressed = SUPPRESS_SEND가 켜져 있어 메시지를 보내지 않고 기록만 했습니다. 전송을 시험하려면 이 설정을 지우세요
cli-sent = { $server }({ $mode })를 통해 { $to }에게 보냈습니다
cli-server-reply = 서버 응답: { $code } { $reply }
cli-send-stage-timed-out = 보내지 않았습니다: { $stage } 단계에서 시간이 초과되었습니다(서버 { $server })
cli-send-stage-failed = 보내지 않았습니다: { $stage } 단계에서 실패했습니다(서버 { $server })
cli-reply-code = 응답 코드: { $code }
cli-server-message = 메시지: { $message }
cli-probe-trying = 같은 포트에서 { $mode } 방식을 시도합니다:
cli-probe-server = 서버: { $name }, 인사말 "{ $greeting }"
cli-probe-extensions = 확장 기능: { $list }
cli-probe-auth = AUTH 방식: { $list }
cli-probe-none-offered = 제공하지 않음
cli-probe-starttls = STARTTLS: { $offered }
cli-probe-offered = 제공함
cli-probe-not-offered = 제공하지 않음
cli-probe-size = SIZE: { $size }바이트
cli-probe-speaks = 이 포트의 방식: { $sound }
cli-probe-advice = 조언: { $advice }
cli-probe-passed = 결과: 모든 단계를 통과했습니다
cli-probe-failed = 결과: 실패
cli-probe-anyway = 그래도 주어진 서버와 포트로 연결해, 포트가 어떤 TLS 방식을 쓰는지 알아봅니다.
cli-probe-as-configured = 설정대로 { $mode }
cli-probe-trying-both = TLS 방식이 설정되지 않아 둘 다 시도
cli-probe-probing = { $address } 확인 중: { $mode }, 단계마다 최대 { $limit }

## Templates (mailconf-smtp, TEMPLATE_FOLDER)

templates-feature-disabled = 이 프로그램은 템플릿 기능 없이 빌드되어 템플릿 폴더를 쓸 수 없습니다
templates-feature-disabled-hint = mailconf-smtp의 `templates` 기능을 켜거나(Cargo.toml에 features = ["templates"]) 이 설정을 지우세요

## The mailconf command: templates and the dev inbox (mailconf-cli)

cli-data-unreadable = { $path }을(를) 읽을 수 없습니다: { $reason }
cli-data-file-not-json = { $path }의 --data가 JSON이 아닙니다: { $reason }
cli-data-not-json = --data가 JSON이 아닙니다: { $reason }
cli-render-no-folder = 템플릿 폴더가 없습니다: TEMPLATE_FOLDER를 설정하거나 --folder를 주세요
cli-render-no-subject = (없음)
cli-send-test-template-count = --template은 메시지 하나를 보냅니다. --count와 함께 쓸 수 없습니다
cli-inbox-not-loopback = --web은 127.0.0.1:8025 같은 루프백 주소여야 합니다({ $addr }은(는) 안 됩니다): 받은 편지함은 접속할 수 있는 누구에게나 잡힌 메시지를 모두 보여 줍니다
cli-inbox-listening = 웹 받은 편지함: { $url }

## Issue 14, the templates helper: `mailconf check` on TEMPLATE_FOLDER
check-template-syntax = 템플릿 { $name }의 { $line }번째 줄에 문법 오류가 있습니다: { $reason }
check-template-error = 템플릿을 사용할 수 없습니다: { $error }
check-template-hint = Mailer는 시작할 때 이 폴더의 템플릿을 모두 파싱하며, 이 오류가 있으면 시작하지 않습니다: 파일을 고치거나 TEMPLATE_FOLDER가 올바른 폴더를 가리키게 하세요

## 전송이나 연결 테스트가 실패했을 때의 도움말 (mailconf-smtp client)

hint-tls-mode = { $port }번 포트는 평문 인사말 대신 첫 바이트부터 TLS(암시적 TLS, 보통 { $implicit_port }번 포트)를 기다립니다: { $implicit_fix }로 설정하거나, 서버의 STARTTLS 포트(보통 { $starttls_port })를 쓰세요
hint-timeout-implicit-tls = { $limit } 안에 { $server }와(과) TLS 세션을 맺지 못했습니다: MAIL_SERVER와 MAIL_PORT, 그리고 방화벽이 { $port }번 포트를 막고 있지 않은지 확인하세요. 포트가 STARTTLS(보통 { $starttls_port })를 쓴다면 { $starttls_fix }로 설정하세요
hint-timeout-no-greeting = { $server }에 연결했지만 { $limit } 안에 서버 인사말이 오지 않았습니다: { $port }번 포트는 아마 첫 바이트부터 TLS(암시적 TLS, 보통 { $implicit_port }번 포트)를 씁니다. { $implicit_fix }로 설정하거나 STARTTLS 포트(보통 { $starttls_port })를 쓰세요
hint-timeout-no-ehlo = { $server }이(가) 인사말은 보냈지만 { $limit } 안에 EHLO에 답하지 않았습니다: 서버가 과부하 상태이거나 중간에서 무언가가 방해하고 있을 수 있습니다. TIMEOUT으로 제한 시간을 늘릴 수 있습니다
hint-timeout-connect = { $limit } 안에 { $server }에 연결하지 못했습니다: MAIL_SERVER와 MAIL_PORT, 그리고 방화벽이 { $port }번 포트로 나가는 연결을 막고 있지 않은지 확인하세요
hint-timeout-tls = { $limit } 안에 { $server }와(과)의 TLS 핸드셰이크가 끝나지 않았습니다: { $port }번 포트가 STARTTLS를 제공하는지 확인하고, 암시적 TLS를 쓰는 포트라면 { $implicit_fix }로 설정하세요
hint-timeout-stage = { $stage } 단계에서 서버가 응답을 멈췄습니다(제한 시간 { $limit }): 서버가 과부하 상태이거나 중간에서 무언가가 방해하고 있을 수 있습니다. TIMEOUT으로 제한 시간을 늘릴 수 있습니다
hint-dns = 호스트 이름 { $host }을(를) 찾을 수 없습니다: MAIL_SERVER를 확인하세요
hint-connection-refused = { $server }에서 연결을 받는 곳이 없습니다: MAIL_SERVER와 MAIL_PORT를 확인하세요
hint-unreachable = 여기에서 { $server }에 닿을 수 없습니다: MAIL_SERVER, 네트워크, 방화벽을 확인하세요
hint-no-answer = { $server }에서 응답이 없습니다: MAIL_SERVER와 MAIL_PORT, 그리고 방화벽이 { $port }번 포트를 막고 있지 않은지 확인하세요
hint-session-refused = 서버가 세션을 거부했습니다. 연결 수를 제한하고 있거나 이 주소를 차단하고 있을 수 있습니다
hint-closed-without-greeting = { $port }번 포트의 서버가 평문 인사말 없이 연결을 닫았습니다: 아마 첫 바이트부터 TLS(암시적 TLS, 보통 { $implicit_port }번 포트)를 씁니다. { $implicit_fix }로 설정하세요
hint-no-starttls = { $port }번 포트의 서버는 STARTTLS를 제공하지 않고, 이 메일러는 평문으로 되돌아가지 않습니다: 포트가 첫 바이트부터 TLS(보통 { $implicit_port })를 쓴다면 { $implicit_fix }로 설정하고, 아니라면 서버의 제출(submission) 포트(보통 { $starttls_port })를 쓰세요
hint-not-implicit-tls = { $port }번 포트의 서버는 첫 바이트부터 TLS를 쓰지 않습니다. 아마 STARTTLS(보통 { $starttls_port }번 포트)를 씁니다: { $starttls_fix }로 설정하세요
hint-unknown-issuer = 서버 인증서가 신뢰할 수 있는 CA의 서명을 받지 않았습니다. 서명한 CA(사설 CA나 자체 서명 CA)의 PEM 파일을 MAIL_CA_FILE로 지정하세요. VALIDATE_CERTS=false로 검사를 건너뛸 수 있지만, 그러면 누구나 서버로 위장할 수 있습니다
hint-unknown-issuer-ca-file = 서버 인증서가 신뢰할 수 있는 CA의 서명을 받지 않았고, MAIL_CA_FILE의 CA가 서명한 것도 아닙니다: 파일에 올바른 CA가 들어 있는지 확인하세요. VALIDATE_CERTS=false로 검사를 건너뛸 수 있지만, 그러면 누구나 서버로 위장할 수 있습니다
hint-certificate-name = 서버 인증서가 { $host }에 유효하지 않습니다: MAIL_SERVER를 인증서에 나온 이름으로 설정하세요
hint-certificate-expired = 서버 인증서가 만료되었습니다(또는 이 컴퓨터의 시계가 틀렸습니다)
hint-certificate-rejected = 서버 인증서가 거부되었습니다. 사설 CA는 MAIL_CA_FILE로 추가할 수 있습니다
hint-login-rejected = 서버가 로그인을 거부했습니다: MAIL_USERNAME과 MAIL_PASSWORD를 확인하세요. Gmail/Google Workspace라면 계정 비밀번호가 아니라 앱 비밀번호를 쓰세요
hint-tls-before-login = 서버가 로그인 전에 TLS를 요구합니다: { $choices }
hint-no-auth-no-starttls = 서버가 { $port }번 포트에서 AUTH PLAIN/LOGIN도 STARTTLS도 제공하지 않습니다: 로그인이 필요 없는 서버(이 네트워크를 신뢰하는 릴레이)라면 USE_CREDENTIALS=false로 설정하고, 아니라면 서버의 제출(submission) 포트를 쓰세요({ $choices })
hint-no-auth-plain = 서버가 이 평문 연결에서는 AUTH PLAIN/LOGIN을 제공하지 않습니다. 대부분의 서버는 STARTTLS 뒤에만 인증을 제공합니다: { $starttls_fix }로 설정하세요
hint-no-auth = 서버가 이 연결에서 AUTH PLAIN/LOGIN을 제공하지 않습니다. 로그인이 필요 없는 서버라면 USE_CREDENTIALS=false로 설정하세요
hint-login-required = 서버가 로그인을 요구합니다: MAIL_USERNAME과 MAIL_PASSWORD를 설정하세요(USE_CREDENTIALS=true도 함께)
hint-sender-refused = 서버가 이 계정이 이 발신자로 보내는 것을 허용하지 않습니다: MAIL_FROM을 계정이 쓸 수 있는 주소로 설정하세요
hint-no-smtputf8 = 서버가 ASCII가 아닌 문자가 든 주소를 받지 못합니다(SMTPUTF8 없음): ASCII 주소를 쓰세요
hint-relay-refused-after-login = 로그인은 성공했지만 서버가 릴레이를 거부했습니다: 이 계정으로는 이 수신자에게 또는 이 발신자로 보낼 수 없을 수 있습니다. MAIL_FROM을 계정이 쓸 수 있는 주소로 설정하거나, 서버 관리자에게 이 계정의 릴레이를 허용해 달라고 요청하세요
hint-relay-refused = 서버가 이 클라이언트의 메일을 릴레이하지 않습니다: 로그인하거나(MAIL_USERNAME, MAIL_PASSWORD) 메일 서비스 제공자의 제출(submission) 서버를 쓰세요
hint-google-app-password = Google이 앱 비밀번호를 요구합니다(이 계정은 2단계 인증이 켜져 있습니다): Google 계정의 보안 설정(앱 비밀번호)에서 만들어 MAIL_PASSWORD로 설정하거나, OAuth2 (XOAUTH2)을(를) 쓰세요
hint-google-refused = Google이 로그인을 거부했습니다: SMTP에는 계정 비밀번호를 쓸 수 없습니다. MAIL_PASSWORD를 앱 비밀번호로 설정하거나(2단계 인증이 필요하고, 고급 보호 프로그램에서는 쓸 수 없습니다), OAuth2 (XOAUTH2)을(를) 쓰세요
hint-microsoft-smtp-auth-off = Microsoft 365에서 이 사서함이나 테넌트의 SMTP AUTH가 꺼져 있습니다(보안 기본값): 관리자가 사서함의 인증된 SMTP를 켜거나, 애플리케이션이 OAuth2 (XOAUTH2)을(를) 써야 합니다 (MAIL_PASSWORD 대신 MAIL_OAUTH2_TENANT, MAIL_OAUTH2_CLIENT_ID, MAIL_OAUTH2_CLIENT_SECRET 설정; README의 Microsoft 365 with OAuth2 참고)
hint-microsoft-basic-auth-retired = Microsoft 365는 더 이상 SMTP에 비밀번호를 받지 않습니다(기본 인증 종료): Entra ID에 등록한 앱으로 OAuth2 (XOAUTH2)을(를) 쓰세요 (MAIL_PASSWORD 대신 MAIL_OAUTH2_TENANT, MAIL_OAUTH2_CLIENT_ID, MAIL_OAUTH2_CLIENT_SECRET 설정; README의 Microsoft 365 with OAuth2 참고)
hint-sendgrid-username = SendGrid의 로그인 이름은 글자 그대로 apikey입니다: MAIL_USERNAME=apikey로 설정하고, MAIL_PASSWORD를 Mail Send 권한이 있는 API 키로 설정하세요
hint-sendgrid-key = SendGrid가 API 키를 거부했습니다: MAIL_PASSWORD가 Mail Send 권한이 있는 유효한 API 키인지 확인하세요
hint-naver-refused = 네이버가 로그인을 거부했습니다: 네이버 메일 설정(환경설정 > POP3/IMAP 설정, SMTP 사용)에서 SMTP를 켜야 합니다. 2단계 인증을 쓴다면 MAIL_PASSWORD를 애플리케이션 비밀번호로 설정하세요
hint-daum-refused = 다음이 로그인을 거부했습니다: 다음 메일 설정(환경설정 > IMAP/POP3, IMAP/SMTP 사용)에서 SMTP를 켜야 합니다. 2단계 인증을 쓴다면 MAIL_PASSWORD를 애플리케이션 비밀번호로 설정하세요
hint-microsoft-refused = Microsoft가 로그인을 거부했습니다: MAIL_USERNAME(전체 주소)과 MAIL_PASSWORD, 그리고 사서함의 SMTP AUTH가 켜져 있는지 확인하세요. 기본 인증은 종료될 예정입니다: OAuth2 (XOAUTH2)
hint-ses-refused = Amazon SES가 로그인을 거부했습니다: MAIL_USERNAME과 MAIL_PASSWORD는 AWS 액세스 키가 아니라, 서버와 같은 리전의 SES SMTP 자격 증명이어야 합니다
hint-ses-not-verified = Amazon SES가 인증되지 않은 주소를 거부합니다: 샌드박스에서는 발신자와 모든 수신자(또는 그 도메인)를 SES 콘솔에서 인증하거나, 프로덕션 액세스를 요청하세요
hint-blocking-in-async = 비동기 코드에서는 Mailer와 `.send(message).await`를 쓰세요
hint-blocking-shut-down = 새 BlockingMailer를 만드세요

## 전송 실패의 판정 (mailconf-smtp mailer)

send-verdict-timed-out = 시간 초과(시도 { $attempts }회)
send-verdict-permanent = 영구적인 실패(시도 { $attempts }회)
send-verdict-gave-up = 일시적인 실패로 { $attempts }회 시도한 뒤 포기했습니다. 나중에 다시 시도하면 성공할 수 있습니다
send-verdict-temporary = 일시적인 실패(시도 { $attempts }회). 나중에 다시 시도하면 성공할 수 있습니다
stage-setup = 준비
stage-connect = 연결
stage-oauth2-token = OAuth2 토큰 (oauth2_token)
stage-tls = TLS
stage-auth = 로그인(AUTH)
stage-mail-from = MAIL FROM
stage-rcpt = RCPT TO
stage-data = DATA

## 연결 테스트 끝의 조언 (mailconf-smtp diagnose)

probe-offers-starttls = { $port }번 포트는 STARTTLS를 제공합니다: 로그인과 메시지가 암호화되도록 { $settings }로 설정하세요
probe-speaks-plain = { $port }번 포트는 STARTTLS 없는 평문 SMTP를 씁니다: 로그인과 메시지가 암호화되지 않은 채 전송됩니다. { $ports }를 쓰거나, 이 컴퓨터의 서버일 때만 { $settings }로 설정하세요
probe-speaks = { $port }번 포트의 방식은 { $sound }입니다: { $settings }로 설정하세요
probe-no-smtp-stalls = { $address }은(는) 연결은 받지만 { $limit } 안에 평문 SMTP에도 TLS에도 응답하지 않았습니다: 이 포트에서는 SMTP 서버가 응답하지 않습니다. MAIL_SERVER와 MAIL_PORT({ $ports }), 그리고 프록시나 방화벽이 연결을 붙잡고 있지 않은지 확인하세요
probe-not-smtp = { $address }은(는) 연결은 받지만 평문 SMTP도 TLS 위의 SMTP도 쓰지 않습니다: SMTP 서버가 아닙니다. MAIL_SERVER와 MAIL_PORT({ $ports })를 확인하세요
probe-fix-ca-file = MAIL_CA_FILE를 고치세요(CA 인증서가 든 읽을 수 있는 PEM 파일)
probe-never-plain = mailconf는 평문으로 되돌아가지 않습니다: { $ports }를 쓰세요
probe-use-tls-to-login = 서버의 TLS 포트가 제공하는 STARTTLS나 암시적 TLS를 쓰세요
probe-session-refused = 서버가 연결 수를 제한하고 있거나 이 주소를 차단하고 있을 수 있습니다

## OAuth2 설정 (mailconf-smtp oauth2: MAIL_OAUTH2_*, MAIL_ACCESS_TOKEN_FILE)

rule-token-in-clear = OAuth2 액세스 토큰이 암호화되지 않은 채 { $host }(으)로 전송됩니다: TLS가 설정되어 있지 않습니다
oauth2-not-built = 이 프로그램은 OAuth2 지원 없이 빌드되어 XOAUTH2로 로그인할 수 없습니다
oauth2-not-built-hint = mailconf-smtp의 `oauth2` 기능을 켜거나(mailconf-smtp = {"{"} version = "0.1", features = ["oauth2"] {"}"}), 비밀번호로 로그인하려면 MAIL_OAUTH2_* 와 MAIL_ACCESS_TOKEN_FILE 설정을 지우세요
oauth2-token-file-alone = { $access_token_file }은(는) 다른 곳에서 갱신하는 토큰을 주므로 mailconf는 토큰을 가져오지 않습니다: 다른 OAuth2 설정은 아무 일도 하지 않습니다
oauth2-token-file-alone-hint = { $access_token_file }만 남기거나, mailconf가 토큰을 가져오게 하려면 그것을 지우세요
oauth2-service-account-alone = { $oauth2_service_account_file }에 클라이언트와 키가 들어 있습니다: 클라이언트 ID, 시크릿, 리프레시 토큰, 테넌트는 아무 일도 하지 않습니다
oauth2-service-account-alone-hint = 이 설정들을 지우거나, 클라이언트 ID와 시크릿을 쓰려면 { $oauth2_service_account_file }을(를) 지우세요
oauth2-set-client-id = { $oauth2_client_id }을(를) 앱 등록의 애플리케이션(클라이언트) ID로 설정하거나, Google 서비스 계정이면 { $oauth2_service_account_file }을(를) 설정하세요
oauth2-set-client-secret = 클라이언트 자격 증명 그랜트에는 { $oauth2_client_secret }(또는 { $oauth2_client_secret }_FILE)이 필요합니다. 사용자의 메일함이면 대신 { $oauth2_refresh_token }을(를) 설정하세요
oauth2-set-username = XOAUTH2는 메일함으로 로그인합니다: { $username }을(를) 그 주소(예: app@example.com)로 설정하세요
oauth2-no-password = OAuth2가 설정되어 있어 로그인은 토큰을 쓰는 XOAUTH2입니다: 비밀번호는 아무 일도 하지 않습니다
oauth2-no-password-hint = 비밀번호를 지우거나(OAuth2를 요구하는 제공자는 비밀번호를 거부합니다), 비밀번호로 로그인하려면 MAIL_OAUTH2_* 설정을 지우세요
oauth2-no-login = { $use_credentials }=false는 로그인하지 않는다는 뜻인데, OAuth2가 XOAUTH2로 로그인하도록 설정되어 있습니다
oauth2-no-login-hint = { $use_credentials }을(를) 지우거나, OAuth2 설정을 지우세요
oauth2-tenant-and-url = { $oauth2_tenant }은(는) 토큰 URL을 만드는 데만 쓰이는데, { $oauth2_token_url }이(가) 이미 그 URL을 줍니다
oauth2-tenant-and-url-hint = 둘 중 하나를 지우세요
oauth2-tenant-not-microsoft = { $oauth2_tenant }은(는) Microsoft 365의 토큰 URL을 만드는데, { $provider }이(가) microsoft365가 아닙니다
oauth2-tenant-not-microsoft-hint = { $provider }=microsoft365로 설정하거나, { $oauth2_tenant } 대신 { $oauth2_token_url }에 토큰 URL을 주세요
oauth2-set-tenant = { $oauth2_tenant }을(를) 앱 등록 개요 페이지에 있는 디렉터리(테넌트) ID로 설정하세요
oauth2-set-token-url = { $oauth2_token_url }을(를) 제공자의 OAuth2 토큰 엔드포인트로 설정하거나, { $provider }=microsoft365와 { $oauth2_tenant }, 또는 { $provider }=gmail을 설정하세요
oauth2-url-login = 토큰 URL에 사용자 이름이나 비밀번호가 들어 있습니다
oauth2-url-login-hint = URL에서 지우세요: 클라이언트 시크릿은 MAIL_OAUTH2_CLIENT_SECRET에 넣습니다
oauth2-url-http = 토큰 URL이 http입니다: 클라이언트 시크릿이 암호화되지 않은 채 전송됩니다
oauth2-url-http-hint = 토큰 엔드포인트의 https:// URL을 쓰세요(http는 이 컴퓨터 안에서만 허용됩니다)
oauth2-url-scheme = 토큰 URL은 { $scheme }:이(가) 아니라 https://여야 합니다
oauth2-url-scheme-hint = 예: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token
oauth2-tenant-chars = 테넌트는 ID(GUID)나 도메인입니다: 영문자, 숫자, '-', '.'만 쓸 수 있습니다
oauth2-tenant-chars-hint = 앱 등록 개요 페이지의 디렉터리(테넌트) ID를 복사하세요. 예: 8d2e1c7a-4b6f-4e39-9a51-2f0c3b7d9e64
hint-oauth2-smtp-auth-off = Microsoft 365에서 이 사서함이나 테넌트의 SMTP AUTH가 꺼져 있습니다. OAuth2 로그인에도 필요합니다: 관리자가 사서함(또는 테넌트)의 인증된 SMTP를 켜야 합니다
hint-oauth2-no-xoauth2 = 서버가 이 연결에서 AUTH XOAUTH2를 제공하지 않습니다: MAIL_SERVER를 확인하거나, 서버에 OAuth2가 없으면 MAIL_OAUTH2_* 설정 대신 비밀번호로 로그인하세요
hint-oauth2-microsoft-refused = Microsoft 365가 MAIL_USERNAME의 토큰을 거부했습니다: 클라이언트 자격 증명을 쓰면 앱의 서비스 주체를 Exchange Online에 등록하고(New-ServicePrincipal) 그 사서함에 대한 권한을 줘야 하며(Add-MailboxPermission), 토큰은 https://outlook.office365.com/.default 용이어야 합니다(MAIL_OAUTH2_SCOPE)
hint-oauth2-google-refused = Google이 MAIL_USERNAME의 토큰을 거부했습니다: 토큰에 https://mail.google.com/ 범위(MAIL_OAUTH2_SCOPE)가 있어야 하고 그 메일함의 것이어야 합니다(서비스 계정이면 도메인 전체 위임에서 그 범위를 허용해야 합니다)
hint-oauth2-refused = 서버가 MAIL_USERNAME의 OAuth2 토큰을 거부했습니다: MAIL_USERNAME이 토큰의 메일함인지, MAIL_OAUTH2_SCOPE가 SMTP를 허용하는지 확인하세요

## Issue 13, the oauth2 helper: XOAUTH2 refusals, token endpoint errors and the probe's token step
hint-oauth2-token-file-refused = 서버가 MAIL_ACCESS_TOKEN_FILE의 토큰을 거부했습니다: 토큰이 만료되었거나 폐기되었을 수 있으니(사이드카처럼 파일을 갱신하는 프로그램이 실행 중인지 확인하세요), 또는 MAIL_USERNAME의 메일함용 토큰이 아닐 수 있습니다
# A failed token request (mailconf-smtp oauth2: TokenError)
oauth2-error-grant = { $error } (grant 방식: { $grant })
oauth2-refused = 토큰 엔드포인트가 요청을 거부했습니다: { $error }
oauth2-refused-http = 토큰 엔드포인트가 요청을 거부했습니다(HTTP { $status }): { $error }
oauth2-refused-described = 토큰 엔드포인트가 요청을 거부했습니다: { $error }: { $description }
oauth2-refused-http-described = 토큰 엔드포인트가 요청을 거부했습니다(HTTP { $status }): { $error }: { $description }
oauth2-unreachable = 토큰 엔드포인트에서 토큰을 받지 못했습니다: { $why }
oauth2-unreachable-cause = 토큰 엔드포인트에서 토큰을 받지 못했습니다: { $why } ({ $cause })
oauth2-why-timeout = 제한 시간 안에 응답이 없습니다
oauth2-why-connect = 연결할 수 없습니다
oauth2-why-redirect = 리디렉션으로 응답했습니다
oauth2-why-failed = 요청이 실패했습니다
oauth2-request-failed = 토큰 요청이 실패했습니다: { $error }
oauth2-answer-unusable = 토큰 엔드포인트의 응답을 쓸 수 없습니다: { $what }
oauth2-not-bearer = 토큰 엔드포인트가 준 토큰이 Bearer 토큰이 아니어서 XOAUTH2에 쓸 수 없습니다
oauth2-bad-access-token = 토큰 엔드포인트가 준 액세스 토큰이 비어 있거나 공백 또는 제어 문자를 담고 있습니다
oauth2-no-error-body = 토큰 엔드포인트가 OAuth2 오류 본문 없이 HTTP { $status }(으)로 응답했습니다
oauth2-body-unreadable = 토큰 엔드포인트가 HTTP { $status }(으)로 응답했지만 본문을 읽을 수 없습니다({ $line }행 { $column }열)
oauth2-body-not-json = 토큰 엔드포인트가 HTTP { $status }(으)로 응답했지만 본문이 JSON이 아닙니다({ $line }행 { $column }열)
oauth2-body-no-token = 토큰 엔드포인트가 HTTP { $status }(으)로 응답했지만 본문 JSON에 올바른 access_token과 token_type이 없습니다({ $line }행 { $column }열)
oauth2-token-file-unusable = 액세스 토큰 파일 { $path }을(를) 쓸 수 없습니다: { $reason }
oauth2-not-a-small-file = { $max }바이트 이하의 일반 파일이 아닙니다
oauth2-token-file-empty = 파일이 비어 있습니다
oauth2-token-file-chars = 토큰이 둘 이상 있거나, 토큰에 들어갈 수 없는 문자가 있습니다
oauth2-key-unusable = 서비스 계정 키 { $path }을(를) 쓸 수 없습니다: { $reason }
oauth2-key-not-json = client_email과 private_key가 있는 서비스 계정 JSON 키가 아닙니다({ $line }행 { $column }열)
oauth2-key-token-uri = token_uri가 URL이 아닙니다({ $error })
oauth2-key-not-rsa = private_key가 PEM 형식의 RSA 개인 키(-----BEGIN PRIVATE KEY-----)가 아닙니다
oauth2-key-signing = 서명에 실패했습니다({ $error })
# What to do about it (TokenError::hint); a send's hint adds the setting
oauth2-hint-with-setting = { $hint } (설정: { $setting })
oauth2-hint-unreachable = MAIL_OAUTH2_TOKEN_URL(또는 MAIL_OAUTH2_TENANT)을 확인하고, 이 컴퓨터에서 HTTPS로 엔드포인트에 닿을 수 있는지 확인하세요(방화벽이나 프록시가 막고 있을 수 있습니다)
oauth2-hint-malformed = MAIL_OAUTH2_TOKEN_URL이 토큰 엔드포인트 자체인지 확인하세요. 예: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token 또는 https://oauth2.googleapis.com/token
oauth2-hint-key = 서비스 계정의 JSON 키를 새로 내려받고(IAM 및 관리자 > 서비스 계정 > 키) MAIL_OAUTH2_SERVICE_ACCOUNT_FILE이 그 파일을 가리키게 하세요
oauth2-hint-token-file = 토큰을 갱신하는 프로그램(사이드카)이 실행 중이고, 토큰만 MAIL_ACCESS_TOKEN_FILE에 쓰는지 확인하세요
oauth2-hint-secret-wrong = 클라이언트 암호가 틀렸습니다: 앱 등록의 인증서 및 암호에서 암호 ID가 아니라 암호의 값(Value)을 MAIL_OAUTH2_CLIENT_SECRET에 복사하세요
oauth2-hint-secret-expired = 클라이언트 암호가 만료되었습니다: 앱 등록의 인증서 및 암호에서 새 암호를 만드세요
oauth2-hint-tenant-unknown = 테넌트를 찾을 수 없습니다: MAIL_OAUTH2_TENANT를 앱 등록 개요 페이지의 디렉터리(테넌트) ID로 설정하세요
oauth2-hint-client-unknown = 이 테넌트에 이 클라이언트 ID의 애플리케이션이 없습니다: MAIL_OAUTH2_CLIENT_ID(애플리케이션(클라이언트) ID)와 MAIL_OAUTH2_TENANT를 확인하세요
oauth2-hint-consent = 동의가 없습니다: 관리자가 앱의 API 권한에 관리자 동의를 해야 합니다(앱 전용 토큰은 SMTP.SendAsApp, 사용자 토큰은 SMTP.Send)
oauth2-hint-scope-invalid = 이 grant에 맞지 않는 범위입니다: MAIL_OAUTH2_SCOPE를 지워 제공자의 기본값을 쓰세요(클라이언트 자격 증명이면 https://outlook.office365.com/.default)
oauth2-hint-refresh-expired = 갱신 토큰이 만료되었거나 폐기되었습니다: 사용자가 다시 로그인하게 하고 새 갱신 토큰을 MAIL_OAUTH2_REFRESH_TOKEN에 넣으세요
oauth2-hint-aadsts = Microsoft Entra의 인증 및 권한 부여 오류 코드 목록에서 AADSTS{ $code }를 찾아보세요. { $hint }
oauth2-hint-invalid-client = 엔드포인트가 클라이언트를 받아들이지 않습니다: MAIL_OAUTH2_CLIENT_ID와 MAIL_OAUTH2_CLIENT_SECRET을 확인하세요(새 암호가 필요할 수 있습니다)
oauth2-hint-assertion-refused = 서비스 계정의 assertion이 거부되었습니다: 키가 삭제되었거나, MAIL_USERNAME이 Workspace 도메인의 사용자가 아니거나, 이 컴퓨터의 시계가 맞지 않을 수 있습니다
oauth2-hint-client-credentials-refused = 클라이언트 자격 증명이 거부되었습니다: MAIL_OAUTH2_CLIENT_ID와 MAIL_OAUTH2_CLIENT_SECRET을 확인하세요
oauth2-hint-not-allowed = 앱에 이 grant나 범위가 허용되지 않았습니다: Microsoft 365라면 SMTP.SendAsApp(또는 SMTP.Send)에 관리자 동의를 하고, Google 서비스 계정이라면 Workspace 관리자가 도메인 전체 위임에서 그 클라이언트 ID에 https://mail.google.com/ 범위를 허용해야 합니다
oauth2-hint-scope-refused = 범위가 거부되었습니다: MAIL_OAUTH2_SCOPE를 지워 제공자의 SMTP 범위를 쓰거나, 앱 등록이 허용하는 범위로 설정하세요
oauth2-hint-grant-unsupported = 이 엔드포인트는 이 grant를 지원하지 않습니다: MAIL_OAUTH2_TOKEN_URL을 확인하세요
oauth2-hint-endpoint-failing = 토큰 엔드포인트 쪽에 장애가 있습니다: 발송은 다시 시도됩니다. 계속되면 제공자의 상태 페이지를 확인하세요
oauth2-hint-check-registration = MAIL_OAUTH2_TOKEN_URL, MAIL_OAUTH2_CLIENT_ID와 grant의 암호가 앱 등록과 맞는지 확인하세요
# The connection test's token and XOAUTH2 login steps (mailconf-smtp diagnose)
probe-oauth2-unencrypted = 시도하지 않았습니다: 액세스 토큰이 암호화되지 않은 채 전송됩니다
probe-oauth2-setup-failed = OAuth2 로그인을 준비할 수 없습니다: { $reason }
probe-oauth2-token-obtained = { $grant } grant로 액세스 토큰을 받았습니다
probe-oauth2-token-reused = 첫 시도에서 { $grant } grant로 받은 액세스 토큰을 다시 썼습니다

## 연결 테스트의 단계 (mailconf-smtp diagnose; issue 17). 서버나 네트워크가 한 말($reply,
## $reason)은 그대로 인용합니다.

probe-detail-quoted = "{ $text }"
probe-detail-given = { $host }: { $addresses } (지정된 주소, 조회하지 않음)
probe-detail-literal = { $host } (IP 주소이므로 조회할 필요 없음)
probe-detail-resolved = { $host }의 주소: { $addresses }
probe-detail-connected = { $address }에 연결했습니다
probe-detail-tls = TLS 연결을 맺었습니다
probe-detail-no-greeting = 서버 인사말이 없습니다
probe-detail-offers = { $server }이(가) 제공하는 확장: { $extensions }
probe-detail-no-extensions = 확장 없음
probe-detail-no-starttls = { $port }번 포트의 서버가 STARTTLS를 제공하지 않습니다
probe-detail-starttls = TLS 연결을 맺었습니다. 다시 보낸 EHLO의 응답: { $extensions }
probe-detail-no-oauth2-feature = 시도하지 않았습니다: mailconf-smtp를 "oauth2" 기능 없이 빌드했습니다
probe-detail-password-unencrypted = 시도하지 않았습니다: 비밀번호가 암호화되지 않은 채 전송됩니다
probe-detail-logged-in = { $user }(으)로 로그인했습니다
probe-detail-logged-in-with = { $mechanism } 방식으로 { $user }(으)로 로그인했습니다
probe-detail-failed-before-greeting = 서버 인사말을 받기 전에 연결이 실패했습니다: "{ $reason }"
probe-detail-closed-before-greeting = 서버가 인사말 없이 연결을 닫았습니다
probe-detail-not-smtp = 서버가 응답했지만 SMTP 인사말이 아닙니다
probe-detail-session-refused = 서버가 세션을 거부했습니다: "{ $reply }"
probe-timeout-dns = { $limit } 안에 이름을 조회하지 못했습니다
probe-timeout-tcp = { $limit } 안에 TCP 연결을 맺지 못했습니다: 아무도 응답하지 않았습니다(방화벽이 패킷을 버리고 있을 수 있습니다)
probe-timeout-tls = { $limit } 안에 TLS 핸드셰이크가 끝나지 않았습니다
probe-timeout-greeting = { $limit } 안에 서버 인사말이 오지 않았습니다: 서버가 연결은 받았지만 아무것도 보내지 않았습니다
probe-timeout-other = { $limit } 안에 응답이 없습니다

## mailconf migrate의 보고 (mailconf-smtp migrate, mailconf-cli; issue 17)

migrate-change = { $key } ({ $dialect }): { $action }
migrate-removed-set-already = 삭제함: 이 키가 나타내는 설정이 이미 있습니다
migrate-removed-set-again = 삭제함: 파일 아래쪽에서 다시 설정하며, 읽히는 값은 그 뒤의 줄입니다
migrate-commented-out = 주석 처리함: { $reason }
migrate-unreadable = 파일을 해석할 수 없습니다: { $problem }
migrate-untranslatable = 변환할 수 없습니다: { $refusals }
migrate-unwritable = { $key }을(를) 쓸 수 없습니다: { $reason }
cli-migrate-error = 오류: { $message }
cli-migrate-needs-file = migrate에는 다시 쓸 파일이 필요합니다: "mailconf migrate --env-file PATH"
cli-migrate-cannot-read = { $path }을(를) 읽을 수 없습니다: "{ $reason }"
cli-migrate-cannot-save = { $path }을(를) 저장할 수 없습니다: "{ $reason }"
cli-migrate-cannot-replace = { $path }을(를) 바꿀 수 없습니다: "{ $reason }"
cli-migrate-in-file = { $path }: { $problem }
cli-migrate-nothing = 변환할 것이 없습니다: { $path }에 다른 라이브러리의 메일 설정이 없습니다
cli-migrate-wrote = { $path }을(를) 다시 썼습니다(원본은 { $backup }에 있습니다)
