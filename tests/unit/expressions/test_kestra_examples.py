"""Kestra's own asserted expression examples, rendered by Legato.

Each case is an expression and the output Kestra's Java tests assert for it (the test class is
named above each group: ``core/src/test/java/io/kestra/core/runners/pebble/...`` in
kestra-io/kestra). The expected texts are Kestra's, not Legato's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from conftest_callables import ENV

from legato.errors import ExpressionError

# DateFilterTest.NOW: ZonedDateTime.parse("2013-09-08T16:19:12.123456+01")
NOW = datetime(2013, 9, 8, 16, 19, 12, 123456, tzinfo=timezone(timedelta(hours=1)))
# JqFilterTest / YamlFilterTest / ToJsonFilterTest: vars.second (the date in UTC, the CI zone)
SECOND = {
    "string": "string",
    "int": 1,
    "float": 1.123,
    "list": ["string", 1, 1.123],
    "bool": True,
    "date": datetime(2013, 9, 8, 16, 19, tzinfo=UTC),
    "map": {"string": "string", "int": 1, "float": 1.123},
}
VARS = {"vars": {"second": SECOND}}
BLOCK = {"block": {"test": {"child": "awesome"}}, "inner": "test"}
RECURSIVE = {
    "first": "1",
    "second": "{{first}}",
    "third": "{{second}}",
    "fourth": "{{render(third, recursive=false)}}",
    "map": {"third": "{{third}}"},
    "list": ["{{third}}"],
}

CASES: list[tuple[str, dict[str, Any], str]] = [
    # filters/DateFilterTest
    ("{{ zoned | date(format='iso', timeZone='Europe/Paris') }}", {"zoned": NOW},
     "2013-09-08T17:19:12.123456+02:00"),
    ("{{ zoned | date(format='iso_sec', timeZone='Europe/Paris') }}", {"zoned": NOW},
     "2013-09-08T17:19:12+02:00"),
    ('{{ local | date(format="yyyy-MM-dd HH:mm:ss.SSSSSSXXX", timeZone="Europe/Paris") }}',
     {"local": NOW.replace(tzinfo=None)}, "2013-09-08 16:19:12.123456+02:00"),
    ('{{ local | date(format="yyyy-MM-dd HH:mm:ss.SSSSSSXXX", timeZone="UTC") }}',
     {"local": NOW.replace(tzinfo=None)}, "2013-09-08 16:19:12.123456Z"),
    ('{{ "July 24, 2001" | date("yyyy-MM-dd", existingFormat="MMMM dd, yyyy") }}', {},
     "2001-07-24"),
    ('{{ "2013-09-08T17:19:12+02:00" | date(timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.000000+02:00"),
    ('{{ "2013-09-08T17:19:12" | date(timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.000000+02:00"),
    ('{{ "2013-09-08" | date(timeZone="Europe/Paris") }}', {},
     "2013-09-08T00:00:00.000000+02:00"),
    ('{{ zoned | timestamp(timeZone="Europe/Paris") }}', {"zoned": NOW}, "1378653552"),
    ("{{ (zoned | timestamp) > (zoned | dateAdd(-1, 'DAYS') | timestamp) }}", {"zoned": NOW},
     "true"),
    ("{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', "
     "timeZone='Europe/Paris') }}", {}, "2022-02-08T20:38:26.000000+01:00"),
    ('{{ zoned | timestampNano(timeZone="Europe/Paris") }}', {"zoned": NOW},
     "1378653552123456000"),
    ('{{ zoned | timestampMicro(timeZone="Europe/Paris") }}', {"zoned": NOW},
     "1378653552123456"),
    ('{{ zoned | timestampMilli(timeZone="Europe/Paris") }}', {"zoned": NOW}, "1378653552123"),
    ('{{ zoned | dateAdd(-1,"DAYS",timeZone="Europe/Paris")}}', {"zoned": NOW},
     "2013-09-07T17:19:12.123456+02:00"),
    # filters/DateFilterTest (current): iso_milli, sql_milli, sql_sec and integer epochs in
    # seconds, milliseconds or nanoseconds (or the old timestampMicro output)
    ('{{ zoned | date(format="iso_milli", timeZone="Europe/Paris") }}', {"zoned": NOW},
     "2013-09-08T17:19:12.123+02:00"),
    ('{{ local | date(format="sql_sec", timeZone="UTC") }}', {"local": NOW.replace(tzinfo=None)},
     "2013-09-08 16:19:12"),
    ('{{ local | date(format="sql_milli", timeZone="UTC") }}',
     {"local": NOW.replace(tzinfo=None)}, "2013-09-08 16:19:12.123"),
    ('{{ "08.09.2023" | date("yyyy-MM-dd", existingFormat="dd.MM.yyyy") }}', {}, "2023-09-08"),
    ('{{ "08092023" | date("yyyy-MM-dd", existingFormat="ddMMyyyy") }}', {}, "2023-09-08"),
    ('{{ 1378653552 | date(format="iso_sec", timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12+02:00"),
    ('{{ 1378653552123 | date(format="iso_milli", timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.123+02:00"),
    ('{{ 1378653552123 | date(timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.123000+02:00"),
    ('{{ 1378653552123 | date(format="iso_zoned_date_time", timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.123+02:00[Europe/Paris]"),
    ('{{ 1378653552123456000 | date(format="iso", timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.123456+02:00"),
    ('{{ 1378653552000123456 | date(format="iso", timeZone="Europe/Paris") }}', {},
     "2013-09-08T17:19:12.123456+02:00"),
    ('{{ 1378653552 | date(format="sql_sec", timeZone="Europe/Paris") }}', {},
     "2013-09-08 17:19:12"),
    ('{{ 1378653552123456000 | date(format="sql", timeZone="Europe/Paris") }}', {},
     "2013-09-08 17:19:12.123456"),
    ('{{ 1378653552123 | date(format="sql_milli", timeZone="UTC") }}', {},
     "2013-09-08 15:19:12.123"),
    ('{{ "1378653552123" | number | date(format="sql_milli", timeZone="UTC") }}', {},
     "2013-09-08 15:19:12.123"),
    # filters/DateAddFilterTest (an offset of hours only, "+02", as Java's ISO parser reads it)
    ('{{ "2013-09-08T16:19:00+02" | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm:ss z", '
     "timeZone=render(timezone)) }}", {"day": 1, "timezone": "Australia/Perth"},
     "2013-09-09 22:19:00 AWST"),
    ('{{ null | dateAdd(day, "DAYS") | date("yyyy-MM-dd HH:mm:ss z", timeZone=render(timezone)) }}',
     {"day": 1, "timezone": "Australia/Perth"}, ""),
    # filters/SlugifyFilterTest, SubstringFilterTest
    ('{{ "Test\t\t\ntest*" | slugify }}', {}, "test-test"),
    ("{{ 'a.b.c' | substringBefore('.') }}", {}, "a"),
    ("{{ 'a.b.c' | substringAfter(separator='.') }}", {}, "b.c"),
    ("{{ 'a.b.c' | substringBeforeLast(separator='.') }}", {}, "a.b"),
    ("{{ 'a.b.c' | substringAfterLast('.') }}", {}, "c"),
    # filters/JqFilterTest
    ('{{ [1, 2, 3] | jq(".[0]") | first }}', {}, "1"),
    ('{{ my_vars | jq(".test[0]") }}', {"my_vars": {"test": [1, 2, 3]}}, "[1]"),
    ('{{  render(first) | jq(".second.third") }}',
     {"first": {"second": {"third": "{{third}}"}}, "end": "awesome", "third": "{{end}}"},
     '["awesome"]'),
    ('{{ vars | jq(".second.string") }}', VARS, '["string"]'),
    ('{{ vars | jq(".second.float") | first }}', VARS, "1.123"),
    ('{{ vars | jq(".second.list") | first }}', VARS, '["string",1,1.123]'),
    ('{{ vars | jq(".second.date") | first }}', VARS, "2013-09-08T16:19:00Z"),
    ('{{ {"second": [1, 2, 3]} | jq(".second[]") }}', {}, "[1,2,3]"),
    ('{% set object = vars | jq(".object") %}{{object[0].key}}',
     {"vars": {"object": {"key": "value"}}}, "value"),
    # filters/YamlFilterTest
    ("{{ vars.second.string | yaml }}", VARS, "string\n"),
    ("{{ vars.second.int | yaml }}", VARS, "1\n"),
    ("{{ vars.second.float | yaml }}", VARS, "1.123\n"),
    ("{{ vars.second.list | yaml }}", VARS, " - string\n - 1\n - 1.123\n"),
    ("{{ vars.second.bool | yaml }}", VARS, "true\n"),
    ("{{ vars.second.date | yaml }}", VARS, "2013-09-08T16:19:00Z\n"),
    # filters/ToJsonFilterTest
    ("{{ vars.second.string | toJson }}", VARS, '"string"'),
    ("{{ vars.second.float | toJson }}", VARS, "1.123"),
    ("{{ vars.second.list | toJson }}", VARS, '["string",1,1.123]'),
    ('{{ {"empty_object":{}} | toJson }}', {}, '{"empty_object":{}}'),
    ("{{ null | toJson }}", {}, "null"),
    # filters/ChunkFilterTest, IndentFilterTest, NindentFilterTest
    ("{{ list | chunk(2) }}", {"list": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
     "[[1,2],[3,4],[5,6],[7,8],[9]]"),
    ("{{ null | indent(2) }}", {}, ""),
    ('{{ "\n\n" | indent(2) }}', {}, "\n  \n  "),
    ("{{ 'string' | indent(2) }}", {}, "string"),
    ("{{ 1 | indent(2) }}", {}, "1"),
    ('{{ "first line\r\nsecond line" | indent(2) }}', {}, "first line\r\n  second line"),
    ('{{ "first line\rsecond line" | indent(2) }}', {}, "first line\r  second line"),
    ('{{ "first line\nsecond line" | indent(2, "\t") }}', {}, "first line\n\t\tsecond line"),
    ('{{ "first line\nsecond line" | nindent(2) }}', {}, "\n  first line\n  second line"),
    # filters/NumberFilterTest, StringFilterTest
    ('{{ "12.3" | number | className }}', {}, "java.lang.Float"),
    ('{{ "2147483647" | number | className }}', {}, "java.lang.Integer"),
    ('{{ "9223372036854775807" | number | className }}', {}, "java.lang.Long"),
    ("{{ \"9223372036854775807\" | number('BIGDECIMAL') | className }}", {},
     "java.math.BigDecimal"),
    ("{{ \"9223372036854775807\" | number('BIGINTEGER') | className }}", {},
     "java.math.BigInteger"),
    ("{{ \"9223372036854775807\" | number('DOUBLE') | className }}", {}, "java.lang.Double"),
    ("{{ 12.3 | string | className }}", {}, "java.lang.String"),
    # filters/ReplaceFilterTest, EscapeCharFilterTest
    ("{{ 'john doe is john doe' | replace({'john': 'jane'}) }}", {}, "jane doe is jane doe"),
    ("{{ 'aa1bb2cc3dd4ee5' | replace({'(\\\\d)': '-$1-'}, regexp=true) }}", {},
     "aa-1-bb-2-cc-3-dd-4-ee-5-"),
    ("{{ \"L'eau c'est la vie\" | escapeChar('single') }}", {}, "L\\'eau c\\'est la vie"),
    ("{{ '\"Hello\"' | escapeChar('double') }}", {}, '\\"Hello\\"'),
    ("{{ \"L'eau c'est la vie\" | escapeChar('shell') }}", {}, "L'\\''eau c'\\''est la vie"),
    ("{{ '' | escapeChar('shell') }}", {}, ""),
    # filters/CondenseStringFilterTest
    ('{{ "hello\n world" | condense }}', {}, "hello world"),
    # PebbleVariableRendererTest
    ("{{ list }} // {{ map }}", VARS["vars"]["second"], '["string",1,1.123] // {"string":"string",'
     '"int":1,"float":1.123}'),
    ('{{ "apple" ~ "pear" ~ "banana" }}', {}, "applepearbanana"),
    ('{% block "post" %} content {% endblock %}{{ block("post") }}', {}, " content  content "),
    ('{{ var | numberFormat("#.##") }}', {"var": 1.232654}, "1.23"),
    ("{{ render(third, recursive=false) }}", RECURSIVE, "{{first}}"),
    ("{{ render(fourth) }}", RECURSIVE, "1"),
    ("{{ render(map, recursive=false) }}", RECURSIVE, '{"third":"{{second}}"}'),
    ("{{ render(list) }}", RECURSIVE, '["1"]'),
    ("See some code {%-  raw%}{{ var }}{%endraw -%}", {"var": "1"}, "See some code {{ var }}"),
    ("See some code {% raw %}{{ var }}{% endraw %} and some other code {% raw %}{{ var2 }}"
     "{% endraw %}", {"var": "1"}, "See some code {{ var }} and some other code {{ var2 }}"),
    ("{{ block[missing].child is not defined ? (block[missing2].child is not defined ? "
     "block[inner].child : null) : null }}", BLOCK, "awesome"),
    ("{{ block[inner]['child'] }}", BLOCK, "awesome"),
    # filters/KeysFilterTest, FlattenFilterTest, RegexFilterTest
    ("{{ vars.second.list | keys }}", VARS, "[0,1,2]"),
    ("{{ n | flatten | first }}", {"n": ["You're doing great!", ["a", "b"], "c"]},
     "You're doing great!"),
    ("{{ 'hello world' | regexMatch(regex='hello.*') }}", {}, "true"),
    ("{{ 'hello world' | regexMatch(regex='^\\\\d+$') }}", {}, "false"),
    ("{{ 'order-12345-done' | regexMatch(regex='\\\\d+') }}", {}, "true"),
    ("{{ null | regexMatch(regex='.*') }}", {}, "false"),
    ("{{ 'aa1bb2cc3' | regexReplace(regex='(\\\\d)', replacement='[$1]') }}", {},
     "aa[1]bb[2]cc[3]"),
    ("{{ null | regexReplace(regex='.*', replacement='x') }}", {}, ""),
    ("{{ 'order-12345-done' | regexExtract(regex='order-(\\\\d+)', group=1) }}", {}, "12345"),
    ("{{ 'abc-123-def-456' | regexExtract(regex='\\\\d+') }}", {}, "123"),
    ("{{ 'hello' | regexExtract(regex='\\\\d+') }}", {}, ""),
    # expression/NullCoalescingExpressionTest
    ("{{ inner.bla ?? block.test.child }}", BLOCK, "awesome"),
    ("{{ block.test.child ?? inner.bla }}", BLOCK, "awesome"),
    ("{{ block[inner].child ?? null }}", BLOCK, "awesome"),
    ("{{ block[missing].child ?? block[inner].child }}", BLOCK, "awesome"),
    ("{{ block[missing].child ?? block[missing2].child ?? block[inner].child }}", BLOCK,
     "awesome"),
    ("{{ missing ?? block.test.child }}", BLOCK, "awesome"),
    # expression/InExpressionTest
    ("{{ state isIn ['SUCCESS', 'WARNING'] }}", {"state": "SUCCESS"}, "true"),
    ("{{ state isIn ['FAILED', 'KILLED'] }}", {"state": "SUCCESS"}, "false"),
    ("{{ key isIn map }}", {"map": {"key": "value"}, "key": "key"}, "true"),
    ("{{ value isIn map }}", {"map": {"key": "value"}, "value": "value"}, "true"),
    # functions/RenderOncerFunctionTest
    ("{{ renderOnce(input) }}", {"input": "test"}, "test"),
    ("{{ renderOnce(input) }}", {"input": "{{someOtherVar}}", "someOtherVar": "test"}, "test"),
    ("{{ renderOnce(input) }}", {"input": "{{someOtherVar}}", "someOtherVar": "{{yetAnotherVar}}",
     "yetAnotherVar": "test"}, "{{yetAnotherVar}}"),
    # functions/FromJsonFunctionTest
    ("{{ fromJson('{\"test1\": 1, \"test2\": 2, \"test3\": 3}').test1 }}", {}, "1"),
    ("{{ fromJson('{\"test1\": [{\"test1\": 666}, 2, 3]}').test1[0].test1 }}", {}, "666"),
    ("{{ fromJson('[1, 2, 3]')[0] }}", {}, "1"),
    ("{{ fromJson('{\"empty_object\":{}}') }}", {}, '{"empty_object":{}}'),
    ("{{ fromJson(null) }}", {}, ""),
    ("{{ json('{\"test1\": 1, \"test2\": 2, \"test3\": 3}').test1 }}", {}, "1"),
]  # fmt: skip

FAILING: list[tuple[str, dict[str, Any]]] = [
    ("{{ test | chunk(2) }}", {"test": 1}),  # ChunkFilterTest.exception
    ("{{ 'Hello' | escapeChar('foo') }}", {}),  # EscapeCharFilterTest.invalidTypes
    ("{{ 'Hello' | escapeChar('') }}", {}),
    ("{{ {not: json} | toJson }}", {}),  # ToJsonFilterTest.exception
    ("{{ missing ?? missing2 }}", BLOCK),  # NullCoalescingExpressionTest.firstDefined
    ("{{ 12 | condense }}", {}),  # CondenseStringFilterTest.condenseInvalidStringTest
    ("{{ fromJson() }}", {}),  # FromJsonFunctionTest.exception
    ("{{ missing is defined ? missing : missing2 }}", {}),  # PebbleVariableRendererTest
    ("{{ render(first) }}", {"first": "{{second}}", "second": "{{first}}"}),
    ("{{ fromJson('{not: json}') }}", {}),
]


@pytest.mark.parametrize(("source", "variables", "expected"), CASES)
def test_renders_as_kestra_asserts(source: str, variables: dict[str, Any], expected: str) -> None:
    assert ENV.render(source, variables) == expected


@pytest.mark.parametrize(("source", "variables"), FAILING)
def test_fails_where_kestra_fails(source: str, variables: dict[str, Any]) -> None:
    with pytest.raises(ExpressionError):
        ENV.render(source, variables)
