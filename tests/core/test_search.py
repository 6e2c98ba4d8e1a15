"""Search ranking: exact and prefix before substring; pinyin and code prefix; cancelled never."""

from __future__ import annotations

from hallclient.core.catalog import ItemState
from hallclient.core.pinyin import pinyin_keys
from hallclient.core.search import Field, MatchClass, SearchEntry, SearchIndex


def entry(code: str, name: str, state: ItemState = ItemState.ACTIVE, basic: str | None = None) -> SearchEntry:
    initials, full = pinyin_keys(name)
    return SearchEntry(code=code, name=name, state=state, initials=initials, pinyin=full, basic_code=basic)


INDEX = SearchIndex([
    entry("A-100", "预包装食品备案"),
    entry("A-101", "食品经营许可（新办）", basic="XK00017"),
    entry("A-102", "食品经营许可（变更）"),
    entry("A-103", "食品"),
    entry("B-200", "公共场所卫生许可"),
    entry("B-201", "食品摊贩登记", state=ItemState.CANCELLED),
    entry("C-300", "小餐饮店登记", state=ItemState.SUSPENDED),
    entry("D-400", "建设工程规划许可"),
])


def codes(query: str) -> list[str]:
    return [hit.entry.code for hit in INDEX.search(query)]


def test_pinyin_forms() -> None:
    assert pinyin_keys("食品经营许可（新办）") == ("spjyxkxb", "shipinjingyingxukexinban")


def test_two_character_chinese_query_ranks_exact_then_prefix_then_substring() -> None:
    assert codes("食品") == ["A-103", "A-101", "A-102", "A-100"]
    hits = INDEX.search("食品")
    assert [h.match for h in hits] == [MatchClass.EXACT, MatchClass.PREFIX, MatchClass.PREFIX, MatchClass.SUBSTRING]


def test_any_part_of_the_name() -> None:
    assert codes("卫生") == ["B-200"]
    assert codes("许可") == ["A-101", "A-102", "B-200", "D-400"]


def test_pinyin_initials_and_full_pinyin() -> None:
    assert codes("spjy") == ["A-101", "A-102"]
    assert INDEX.search("spjy")[0].field is Field.INITIALS
    assert codes("shipin")[:3] == ["A-103", "A-101", "A-102"]
    assert "A-100" in codes("shipin")  # yubaozhuangshipin: a substring
    assert codes("ggcs") == ["B-200"]


def test_code_prefix_case_insensitive_but_not_code_substring() -> None:
    assert codes("a-10") == ["A-100", "A-101", "A-102", "A-103"]
    assert codes("A-101") == ["A-101"]
    assert codes("xk0001") == ["A-101"]
    assert codes("-10") == []


def test_cancelled_never_appears_and_suspended_does() -> None:
    assert "B-201" not in codes("摊贩")
    assert codes("摊贩") == []
    hits = INDEX.search("餐饮")
    assert [h.entry.code for h in hits] == ["C-300"] and hits[0].entry.state is ItemState.SUSPENDED


def test_spaces_and_case_are_ignored_and_empty_finds_nothing() -> None:
    assert codes(" SP JY ") == ["A-101", "A-102"]
    assert INDEX.search("   ") == []


def test_limit_keeps_best_ranked() -> None:
    many = SearchIndex([entry(f"X-{i:03}", f"测试事项{i}") for i in range(100)] + [entry("Y-1", "测试")])
    hits = many.search("测试", limit=10)
    assert len(hits) == 10 and hits[0].entry.code == "Y-1"
    assert len(many.search("事项", limit=10)) == 10
