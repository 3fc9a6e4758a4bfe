"""Quantitative targets, checked against figures read off the plan by hand."""

import json

import pytest

from assistant.cli import main
from assistant.documents.targets import clause_span, extract_targets, filter_targets, scope_refs, targets_csv

# (ref, indicator, value, unit, kind) read off the plan text
EXPECTED = [
    ("主要预期目标", "地区生产总值增长", "5", "%", ("预期", "左右")),
    ("主要预期目标", "城镇调查失业率", "5.7", "%", ("预期", "左右")),
    ("主要预期目标", "城镇新增就业", "18", "万人", ("预期", "以上")),
    ("主要预期目标", "粮食产量", "840", "亿斤", ("预期", "超过")),
    ("二(一)", "生态建设任务", "4000", "万亩", ()),
    ("四(一)", "煤炭产量", "12.5", "亿吨", ("以上",)),
    ("四(一)", "500千伏输变电工程", "20", "个", ()),
    ("专栏1·“三北”工程攻坚战", "防沙治沙", "1500", "万亩", ()),
    ("专栏1·“三北”工程攻坚战", "新改建穿沙公路", "2600", "公里", ()),
    ("专栏1·生态保护和修复", "水土流失综合治理", "1128", "万亩", ()),
    ("专栏1·水资源管理和节约利用", "农田灌溉水有效利用系数", "0.593", "", ()),
    ("专栏1·污染防治攻坚战", "细颗粒物（PM2.5）浓度", "25", "微克/立方米", ("约束", "以下")),
    ("专栏2·能源供应保障", "电力装机", "3.3", "亿千瓦", ("力争", "以上")),
    ("专栏2·能源供应保障", "原油产量", "335", "万吨", ()),
    ("专栏2·能源供应保障", "天然气产量", "315", "亿立方米", ()),
    ("专栏2·新能源开发利用", "新增新能源并网装机", "3000", "万千瓦", ("力争",)),
    ("专栏2·新能源开发利用", "总规模", "2", "亿千瓦", ("力争", "超过")),
    ("专栏2·新能源开发利用", "新型储能项目", "700", "万千瓦", ()),
    ("五(二)", "现代设施集约化育苗中心", "4", "个", ()),
    ("五(二)", "产值", "1200", "亿元", ("力争",)),
    ("九(二)", "建设投资", "1", "万亿元", ("以上",)),
    (
        "专栏3·城乡居民增收工程",
        "年度“三北”工程、高标准农田项目“以工代赈”发放劳务报酬",
        "20",
        "亿元",
        ("以上",),
    ),
    ("专栏3·城乡居民增收工程", "基本养老、医疗保险参保率", "95", "%", ("约束", "以上")),
    ("专栏3·稳岗扩容提质工程", "职业技能培训", "40", "万人次", ()),
    ("专栏3·稳岗扩容提质工程", "新建“家门口”就业服务站", "500", "个", ()),
    ("专栏3·稳岗扩容提质工程", "残疾人就业", "6500", "人", ()),
    ("专栏3·生育友好型社会建设工程", "普惠性幼儿园覆盖率", "93", "%", ("以上",)),
    ("专栏3·基本养老服务体系优化工程", "家庭养老床位", "7000", "张", ()),
    ("专栏3·矛盾纠纷多元化解工程", "12345政务服务便民热线群众诉求满意度", "90", "%", ("以上",)),
    ("专栏3·城乡人居环境改善工程", "加装、更新住宅电梯", "500", "部", ("以上",)),
    ("专栏3·城乡人居环境改善工程", "城镇住房保障家庭租赁补贴", "1.6", "万户", ()),
]


@pytest.fixture(scope="module")
def targets(doc):
    return extract_targets(doc)


@pytest.mark.parametrize("ref,indicator,value,unit,kind", EXPECTED)
def test_expected_targets_found(targets, ref, indicator, value, unit, kind):
    found = [t for t in targets if (t.ref, t.indicator) == (ref, indicator) and t.value == value]
    assert len(found) == 1, [(t.ref, t.indicator, t.amount) for t in targets if t.ref == ref]
    assert (found[0].unit, found[0].kind) == (unit, kind)


def test_both_quantities_of_a_clause(targets):
    pair = [t for t in targets if t.ref == "五(一)" and t.unit in ("万头", "万只")]
    assert [(t.indicator, t.amount, t.kind) for t in pair] == [
        ("育肥牛、育肥羊出栏数", "180万头", ()),
        ("育肥牛、育肥羊出栏数", "4000万只", ("以上",)),
    ]


def test_every_target_is_verbatim_in_its_ref(doc, targets):
    assert len(targets) == 77
    for t in targets:
        text = doc.get(t.ref).text
        assert text[t.offset :].startswith(t.amount), t
        assert t.text in text and t.amount in t.text and t.indicator in text, t
        assert not any(c in t.text for c in "，；。\n"), t
        assert t.part == doc.get(t.ref).part


def test_no_years_dates_hotlines_or_voltage_classes(targets):
    for t in targets:
        assert t.unit not in ("年", "月", "日", "号", "千伏"), t
        assert not (len(t.value) == 4 and t.value.startswith(("19", "20")) and t.unit == ""), t
        assert t.value not in ("2026", "12345", "1571", "80"), t
    assert not [t for t in targets if t.value == "5000" and t.unit == "万株"]  # a modifier of 育苗中心


def test_ids_unique(targets):
    assert len({t.id for t in targets}) == len(targets)
    assert targets[0].id == "主要预期目标#1"


def test_clause_span():
    text = "1.防沙治沙1500万亩。\n2.新改建穿沙公路2600公里。"
    start, end = clause_span(text, 8)
    assert text[start:end] == "防沙治沙1500万亩"
    start, end = clause_span(text, text.index("2600"))
    assert text[start:end] == "新改建穿沙公路2600公里"


def test_chapter_filter(doc, targets):
    four = filter_targets(doc, targets, "四")
    assert {t.ref for t in four} <= scope_refs(doc, "四")
    assert {t.ref.split("·")[0] for t in four} == {"四(一)", "四(二)", "专栏2"}
    assert len(four) == 11
    assert [t.amount for t in filter_targets(doc, targets, "专栏2·新能源开发利用")] == [
        "3000万千瓦",
        "2亿千瓦",
        "3000亿千瓦时",
        "700万千瓦",
    ]
    assert filter_targets(doc, targets, None) == targets


def test_csv(targets):
    lines = targets_csv(targets).splitlines()
    assert lines[0] == "id,ref,part,indicator,value,unit,kind,text"
    assert lines[1] == "主要预期目标#1,主要预期目标,,地区生产总值增长,5,%,预期、左右,地区生产总值增长5%左右"


def test_cli_json(capsys):
    assert main(["targets", "--chapter", "四", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "id": "四(一)#1",
        "ref": "四(一)",
        "part": "四",
        "indicator": "煤炭产量",
        "value": "12.5",
        "unit": "亿吨",
        "kind": ["以上"],
        "text": "煤炭产量稳定在12.5亿吨以上",
    }
    assert len(rows) == 11


def test_cli_table_and_csv(capsys):
    assert main(["targets", "--chapter", "专栏1"]) == 0
    out = capsys.readouterr().out
    assert "防沙治沙" in out and "1500万亩" in out and out.rstrip().endswith("共 6 项量化目标")
    assert main(["targets", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 78


@pytest.mark.parametrize("argv", [["targets", "--chapter", "二十"], ["targets", "--format", "xml"]])
def test_cli_bad_input(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1
