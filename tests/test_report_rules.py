"""The rules that read a report, each on a small text written for it: what is a part, a section, the
closing, an appendix; which figures are this year's targets and how their values read."""

from assistant.documents.headline import headline_targets
from assistant.documents.metadata import read_metadata
from assistant.documents.parse import load, parse
from assistant.documents.targets import extract_targets

HEAD = "2026年某某自治区政府工作报告\n来源：某某日报\n2026年1月20日在某某自治区第十五届人民代表大会第一次会议上\n各位代表：\n"


def doc_of(body: str):
    doc = parse(HEAD + body)
    doc.meta = read_metadata(doc)
    return doc


def test_the_bundled_plans_metadata(doc):
    meta = load().meta
    assert (meta.kind, meta.region, meta.year, meta.label, meta.date) == (
        "plan", "内蒙古自治区", 2026, "2026内蒙古计划", "2026年2月13日")


def test_bare_title_is_a_part_only_where_sections_start_again():
    doc = doc_of(
        "现在，我代表自治区人民政府报告工作。\n"
        "2025年工作回顾\n过去一年稳中有进。\n（一）经济平稳。增长5%。\n"
        "坚持创新驱动\n"  # a bare subheading: the sections after it go on at （二）
        "（二）创新加快。研发投入增长8%。\n"
        "2026年工作安排\n今年主要预期目标是：地区生产总值增长5%左右。\n（一）扩大内需。消费增长5%。\n"
    )
    assert [(p.ref, p.title) for p in doc.parts] == [("一", "2025年工作回顾"), ("二", "2026年工作安排")]
    assert [s.ref for s in doc.get("一").children] == ["一(一)", "一(二)"]
    assert "坚持创新驱动" in doc.get("一(一)").text


def test_headings_out_of_turn_stay_body_text():
    doc = doc_of(
        "一、2025年工作回顾\n（一）经济平稳。\n（三）引述的旧编号。\n一、这一行不是第二部分\n"
        "二、2026年工作安排\n一是稳增长。出台措施。\n"
    )
    assert [p.ref for p in doc.parts] == ["一", "二"]
    assert [s.ref for s in doc.get("一").children] == ["一(一)"]
    assert doc.get("一(一)").text == "（一）经济平稳。\n（三）引述的旧编号。\n一、这一行不是第二部分"
    assert doc.get("二").children == [] and doc.get("二").text == "一是稳增长。出台措施。"


def test_closing_and_appendix():
    doc = doc_of(
        "一、2025年工作回顾\n各位代表！过去一年极不平凡。\n二、2026年工作安排\n（一）扩大内需。\n"
        "各位代表！让我们团结奋斗。\n各位代表！未来可期。\n有关说明\n1.两新：设备更新和以旧换新。\n"
        "2.两重：重大战略和重点领域。\n3.三保：保基本民生。\n"
    )
    assert doc.get("一").text == "各位代表！过去一年极不平凡。"  # a salutation mid-report stays where it is
    assert doc.get("结束语").text == "各位代表！让我们团结奋斗。\n各位代表！未来可期。"
    assert doc.get("有关说明").kind == "appendix" and doc.get("有关说明").text.count("\n") == 2
    assert [n.ref for n in doc.nodes][-2:] == ["结束语", "有关说明"]


def test_this_years_targets_only():
    doc = doc_of(
        "一、2025年工作回顾\n预计地区生产总值增长5.6%左右，城镇新增就业41万人。\n"
        "二、2026年工作安排\n今年主要预期目标是：经济增长５．５％左右，居民消费价格涨幅2%左右。\n"
        "（一）稳定就业。2025年全区城镇新增就业41万人，今年城镇新增就业不少于40万人。\n"
        "（二）绿色转型。单位地区生产总值能耗比2020年下降13.5%，去年粮食产量达到300亿斤。\n"
    )
    found = [(t.ref, t.key, t.written) for t in extract_targets(doc)]
    assert found == [
        ("二", "地区生产总值增长", "５．５％左右"), ("二", "居民消费价格涨幅", "2%左右"),
        ("二(一)", "城镇新增就业", "不少于40万人"), ("二(二)", "单位地区生产总值能耗降低", "13.5%"),
    ]
    gdp = headline_targets(doc)[0]
    assert (gdp.amount_range.low, gdp.amount_range.qualifier, gdp.amount_range.unit, gdp.kind) == (
        5.5, "左右", "%", ("预期", "左右"))


def test_ranges_read_as_one_target():
    doc = doc_of("一、2026年工作安排\n主要预期目标是：地区生产总值增长5%至5.5%，进出口增长3%—4%。\n")
    amounts = [(t.key, t.amount_range.low, t.amount_range.high, t.amount_range.qualifier) for t in extract_targets(doc)]
    assert amounts == [("地区生产总值增长", 5.0, 5.5, "range"), ("外贸进出口增长", 3.0, 4.0, "range")]


def test_without_a_targets_paragraph_a_review_part_is_still_the_past():
    doc = doc_of("一、2025年工作回顾\n地区生产总值增长5.6%。\n二、今年重点工作\n新建学校10所。\n")
    assert [(t.ref, t.amount) for t in extract_targets(doc)] == [("二", "10所")]
