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
type-wait-local-fail = wait, local, fail 중 하나
type-value = 값

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
