"""Task ledger and department ownership, checked against tasks read off the real plan text."""

import csv
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from assistant.cli import main
from assistant.config import PROJECT_ROOT
from assistant.documents.parse import load
from assistant.owners import (
    apply_official,
    default_official_path,
    import_official,
    infer_owner,
    keyword_weights,
    load_departments,
    load_official,
    owners_for,
    resolve_department,
    save_official,
    suggest_owners,
)
from assistant.tasks import (
    Task,
    build_ledger,
    find_owner,
    find_targets,
    is_ownership_question,
    owner_json,
    ownership_eval,
    split_clauses,
    strip_ownership,
)

LINCAO = "自治区林业和草原局"
SHUILI = "自治区水利厅"
GONGXIN = "自治区工业和信息化厅"
SANBEI_ROW = "专栏1·“三北”工程攻坚战"


@pytest.fixture(scope="module")
def ledger(doc):
    return build_ledger(doc)


@pytest.fixture(scope="module")
def suggested(ledger):
    return suggest_owners(ledger)


def task_with(ledger, text):
    found = [t for t in ledger if t.text == text]
    assert len(found) == 1, text
    return found[0]


# ---- the ledger ---------------------------------------------------------------------------------

def test_ledger_covers_every_section_row_and_part(doc, ledger):
    refs = {t.ref for t in ledger}
    for node in doc.walk():
        if node.kind in ("section", "row", "part") or node.ref == "主要预期目标":
            assert node.ref in refs, node.ref
    assert "总体要求" not in refs and "文头" not in refs  # direction and header, not tasks


def test_tasks_are_verbatim_with_stable_unique_ids(doc, ledger):
    assert len({t.id for t in ledger}) == len(ledger)
    for task in ledger:
        assert task.text in doc.get(task.ref).text, task.id
        assert task.id.startswith(task.ref + "-")
    assert [t.id for t in build_ledger(load())] == [t.id for t in ledger]  # a rebuild gives the same ids


def test_section_heading_is_context_not_a_task(ledger):
    first = ledger.of_ref("二(一)")[0]
    assert (first.id, first.text) == ("二(一)-01", "实施“三北”工程质量年行动")
    assert first.title == "扎实推进“三北”工程攻坚战" and first.chapter == "二"
    assert first.heading == "坚持生态优先、绿色发展，筑牢我国北方重要生态安全屏障"


def test_specific_tasks_targets_and_deadlines(ledger):
    flood = task_with(ledger, "汛期前完成哈素海等区域水毁工程修复")
    assert (flood.ref, flood.deadline, flood.targets) == ("二(三)", "汛期前", ())

    sand = task_with(ledger, "防沙治沙1500万亩")
    assert sand.ref == SANBEI_ROW and [(t.value, t.unit) for t in sand.targets] == [(1500, "万亩")]

    assert task_with(ledger, "设立稀土产业基金").id == "四(三)-04"

    jobs = task_with(ledger, "城镇新增就业18万人以上")
    assert jobs.ref == "主要预期目标" and jobs.chapter is None
    assert [(t.value, t.unit, t.qualifier) for t in jobs.targets] == [(18, "万人", "以上")]

    projects = [t for t in ledger.of_ref("九(二)") if "3月底前" in t.text][0]
    assert projects.timing == ("上半年", "3月底前", "下半年", "8月底前")

    pm = task_with(ledger, "细颗粒物（PM2.5）浓度保持在25微克/立方米以下")
    assert [(t.value, t.unit, t.qualifier) for t in pm.targets] == [(25, "微克/立方米", "以下")]
    water = task_with(ledger, "农田灌溉水有效利用系数达到0.593")
    assert [(t.value, t.unit) for t in water.targets] == [(0.593, "")]


def test_clause_splitting_keeps_targets_apart_and_adjuncts_together():
    assert split_clauses("开展肉牛肉羊增产增效行动，育肥牛出栏数达到180万头，肉类产量稳定在310万吨左右") == [
        "开展肉牛肉羊增产增效行动", "育肥牛出栏数达到180万头", "肉类产量稳定在310万吨左右"]
    assert split_clauses("地区生产总值增长5%左右，在实际工作中努力争取更好结果") == [
        "地区生产总值增长5%左右，在实际工作中努力争取更好结果"]
    assert find_targets("新建20个500千伏输变电工程") == find_targets("新建20个")  # 千伏 is a spec, not a target
    assert find_targets("编写内蒙古自治区成立80年民族团结进步事业经验和启示丛书") == []
    # a quantity that qualifies the noun of a later one is not a target (the rule of assistant.documents.targets)
    assert [str(t) for t in find_targets("建设生产能力5000万株以上现代设施集约化育苗中心4个")] == ["4个"]


# ---- suggested owners ---------------------------------------------------------------------------

def test_suggestions_follow_function_keywords(ledger, suggested):
    sand = suggested[task_with(ledger, "防沙治沙1500万亩").id]
    assert sand.lead == (LINCAO,) and sand.basis == "inferred" and "防沙治沙" in sand.reason
    assert sand.basis_label == "依据部门职能推断"
    assert suggested[task_with(ledger, "汛期前完成哈素海等区域水毁工程修复").id].lead == (SHUILI,)
    fund = suggested["四(三)-04"]
    assert {"自治区财政厅", GONGXIN} <= set(fund.lead + fund.co)
    # a keyword inside a longer one does not count: 新能源装备 is industry, not the energy bureau
    assert suggested[task_with(ledger, "建设全国重要的新能源装备制造基地").id].lead == (GONGXIN,)
    assert all(a.lead for a in suggested.values())


def test_a_department_named_in_the_text_wins(ledger):
    departments = load_departments()
    weights = keyword_weights(departments, [t.text for t in ledger])
    task = Task("x-01", "x", "由水利厅牵头推进防沙治沙", None, "")
    assert infer_owner(task, departments, weights).lead == (SHUILI,)


def test_department_names_resolve():
    departments = load_departments()
    assert len(departments) == 49
    for name in ("林草局", "自治区林业和草原局", "林业和草原局"):
        assert resolve_department(name, departments).name == LINCAO
    assert resolve_department("不存在的局", departments) is None


# ---- the official table -------------------------------------------------------------------------

def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_csv_import_overrides_reports_bad_rows_and_survives_rebuild(ledger, suggested, tmp_path):
    table = write_csv(tmp_path / "分工.csv", [
        ["任务", "引用", "牵头单位", "配合单位"],                      # line 1
        ["防沙治沙1500万亩", "", "水利厅", "林草局、自治区财政厅"],     # 2: by exact text
        ["", "四(三)", "自治区自然资源厅", ""],                         # 3: a whole ref
        ["新建绿色矿山50座", "", "", "自治区水利厅"],                   # 4: no lead
        ["建设月球基地", "", "自治区科学技术厅", ""],                    # 5: no such task
        ["推深做实林长制", "", "自治区林长办", ""],                     # 6: unknown name, kept
    ])
    report = import_official(table, ledger)
    assert report.imported == 3
    assert report.errors == [(4, "缺少牵头单位"), (5, "未在计划中找到任务“建设月球基地”")]
    assert [line for line, _ in report.warnings] == [6]

    data = tmp_path / "data" / "official_owners.json"
    save_official(report.entries, data, source="分工.csv")
    fresh = build_ledger(load())  # a rebuild from scratch reads the table back from the JSON file
    owners = owners_for(fresh, data)
    sand = owners[task_with(fresh, "防沙治沙1500万亩").id]
    assert (sand.lead, sand.co, sand.basis) == ((SHUILI,), (LINCAO, "自治区财政厅"), "official")
    assert sand.reason == "分工方案《分工.csv》第2行" and sand.basis_label == "依据分工方案"
    assert {owners[t.id].lead for t in fresh.of_ref("四(三)")} == {("自治区自然资源厅",)}
    assert owners[task_with(fresh, "推深做实林长制").id].lead == ("自治区林长办",)
    untouched = task_with(fresh, "新建绿色矿山50座").id
    assert owners[untouched] == suggested[untouched]


def test_xlsx_import_with_other_headers_and_fuzzy_text(ledger, tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "重点任务", "牵头部门", "配合部门"])
    wb.active.append([1, "设立稀土产业发展基金", "工信厅", "财政厅"])  # not verbatim: fuzzy match
    wb.active.append([2, "专栏2", "自治区能源局", None])  # a column ref typed in the task column
    wb.save(tmp_path / "分工.xlsx")
    report = import_official(tmp_path / "分工.xlsx", ledger)
    assert (report.imported, report.errors) == (2, [])
    owners = apply_official({}, report.entries, ledger)
    assert owners["四(三)-04"].lead == (GONGXIN,) and owners["四(三)-04"].basis == "official"
    assert {tid for tid in owners if tid.startswith("专栏2")} == {t.id for t in ledger.of_ref("专栏2")}


def test_gbk_csv_and_a_table_without_a_lead_column(ledger, tmp_path):
    gbk = write_csv(tmp_path / "gbk.csv", [["任务", "牵头单位"], ["强化河湖长制", "水利厅"]], encoding="gbk")
    assert import_official(gbk, ledger).imported == 1
    bad = write_csv(tmp_path / "bad.csv", [["任务", "备注"], ["强化河湖长制", "x"]])
    report = import_official(bad, ledger)
    assert report.imported == 0 and report.errors[0][0] == 1


def test_official_data_lives_outside_the_index(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path))
    assert default_official_path() == tmp_path / "official_owners.json"
    assert load_official(tmp_path / "none.json") == []


# ---- questions ----------------------------------------------------------------------------------

def test_find_owner_desertification(ledger, suggested):
    answers = find_owner("防沙治沙任务由哪个部门牵头？", ledger, suggested)
    assert answers[0].ref == SANBEI_ROW and answers[0].lead == (LINCAO,)
    shape = owner_json("防沙治沙任务由哪个部门牵头？", answers)
    assert set(shape) == {"query", "tasks"}
    assert set(shape["tasks"][0]) == {"id", "ref", "text", "lead", "co", "basis", "reason"}
    assert shape["tasks"][0]["basis"] == "inferred"
    assert find_owner("由哪个部门牵头？", ledger, suggested) == []


@pytest.mark.parametrize("text", ["防沙治沙任务由哪个部门牵头？", "稀土产业基金谁负责？", "林长制归哪个部门管？",
                                  "高标准农田的牵头单位是谁", "哪个部门负责招商引资", "养老服务归口哪里",
                                  "穿沙公路是哪个厅牵头？", "谁来牵头落实用水定额"])
def test_ownership_questions(text):
    assert is_ownership_question(text)
    assert not any(w in strip_ownership(text) for w in ("哪个", "谁", "牵头", "负责"))


@pytest.mark.parametrize("text", ["稀土产业有哪些举措？", "粮食产量目标是多少？", "专栏2讲了什么",
                                  "哪些城市争创民族团结进步示范市？", "鼓励企业牵头组建创新联合体是什么意思",
                                  "什么是三北工程", "稀土产业在什么方面有进展"])
def test_not_ownership_questions(text):
    assert not is_ownership_question(text)


def test_ownership_eval_lead_accuracy(ledger, suggested):
    with open(PROJECT_ROOT / "eval" / "ownership.jsonl", encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    result = ownership_eval(items, ledger, suggested)
    assert result["n"] == len(items) == 120
    assert result["accuracy"] >= 0.9, result["misses"]


# ---- the command line ---------------------------------------------------------------------------

@pytest.fixture()
def data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAN_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_cli_formats(capsys, tmp_path, data_dir):
    assert main(["tasks", "--chapter", "二（三）", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:4] == ["编号", "引用", "篇章", "任务"]
    flood = next(r for r in rows if r[3] == "汛期前完成哈素海等区域水毁工程修复")
    assert (flood[5], flood[6], flood[8]) == ("汛期前", SHUILI, "依据部门职能推断")

    assert main(["tasks", "--dept", "林草局", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all(LINCAO in t["lead"] + t["co"] for t in data)
    assert any(t["text"] == "防沙治沙1500万亩" and t["targets"][0]["value"] == 1500 for t in data)

    assert main(["tasks", "--chapter", "专栏2"]) == 0
    assert "[专栏2·能源供应保障-02] 力争电力装机达到3.3亿千瓦以上" in capsys.readouterr().out

    out = tmp_path / "台账.xlsx"
    assert main(["tasks", "--format", "xlsx", "--output", str(out)]) == 0
    sheet = load_workbook(out).active
    assert sheet.cell(1, 4).value == "任务" and sheet.max_row == len(build_ledger(load())) + 1


def test_cli_bad_input_exits_2(capsys, data_dir):
    assert main(["tasks", "--format", "xlsx"]) == 2
    assert main(["tasks", "--chapter", "二十"]) == 2
    assert main(["tasks", "--dept", "不存在的局"]) == 2
    assert main(["owners", "import", "没有这个文件.csv"]) == 2
    assert "错误" in capsys.readouterr().err


def test_cli_import_then_ask(capsys, tmp_path, data_dir):
    table = write_csv(tmp_path / "分工.csv", [["任务", "牵头单位"], ["防沙治沙1500万亩", "水利厅"], ["无此任务", "水利厅"]])
    assert main(["owners", "import", str(table)]) == 0
    captured = capsys.readouterr()
    assert "第3行" in captured.err and (data_dir / "official_owners.json").exists()
    assert main(["owner", "防沙治沙任务由哪个部门牵头？", "--json"]) == 0
    top = json.loads(capsys.readouterr().out)["tasks"][0]
    assert (top["text"], top["lead"], top["basis"]) == ("防沙治沙1500万亩", [SHUILI], "official")
    assert main(["owner", "林长制归哪个部门管？"]) == 0
    assert "牵头：自治区林业和草原局（依据部门职能推断）" in capsys.readouterr().out
