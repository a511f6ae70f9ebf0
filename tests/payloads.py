"""Hostile text: markup, template syntax, terminal escapes, bidi overrides, control characters."""

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg/onload=alert(1)>",
    "{{ 7 * 7 }} {% raw %} ${HOME} {mentor}",
    "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b[2J",
    "\u202eevil\u202c and \u2066isolate\u2069",
    "NUL\x00byte and bell\x07 and \x9b31m C1",
    "line one\nline two\r\nline three",
    "emoji 🎉 ü é ß 漢字",
    "'; DROP TABLE answers; --",
    "x" * 5000,
]
