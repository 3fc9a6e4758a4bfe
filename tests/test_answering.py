"""Answering by kind of question, on the real plan and retriever: the Evidence plan each handler
returns (refs, counts, verdicts; no wording) and the few phrases the composer must use."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from assistant.answering import Query, compose, plan_evidence
from assistant.answering.evidence import refusal
from assistant.answering.query import numbered_refs
from assistant.documents.parse import BUNDLED_PLAN, parse
from assistant.documents.targets import scope_refs


def plan(assistant, question, history=None):
    q = Query(question, question, assistant.retriever, assistant.doc, history or [], 5)
    return plan_evidence(q, assistant.context)


def test_counts_come_from_the_tree(assistant, doc):
    ev = plan(assistant, "专栏1分几类？分别是什么？")
    assert ev.kind == "count" and ev.facts["count"] == 5 == len(doc.get("专栏1").children)
    assert [g.ref for g in ev.groups] == [r.ref for r in doc.get("专栏1").children]  # every item cited
    assert plan(assistant, "计划一共分几个部分？").facts["count"] == len(doc.parts) == 14
    part = plan(assistant, "第四部分有几节？")
    assert part.facts["count"] == 3 and [g.ref for g in part.groups] == ["四(一)", "四(二)", "四(三)"]
    text = assistant.ask("专栏1分几类？").text
    assert text.startswith("专栏1共5类") and "[专栏1·污染防治攻坚战]" in text


def test_a_count_of_an_enumeration_inside_one_sentence(assistant):
    ev = plan(assistant, "要打造的千亿级产业链有几条？")
    assert ev.kind == "count" and ev.facts["count"] == 5 and ev.groups[0].ref == "七(一)"
    assert ev.facts["items"] == ["乳业", "稀土", "有色", "现代煤化工", "光伏"]
    # "多少个重大项目" asks for a figure, not a count of parts
    assert plan(assistant, "今年全区实施多少个重大项目？").kind == "figure"


def test_an_overview_lists_the_sections_of_the_part_named_by_number(assistant, doc):
    ev = plan(assistant, "第七部分讲了哪些内容？")
    assert ev.kind == "overview" and ev.facts["ref"] == "七"
    assert [g.heading for g in ev.groups if g.heading] == [c.title for c in doc.get("七").children]
    assert numbered_refs("自治区十四届人大五次会议") == [] and numbered_refs("第七部分") == ["七"]
    # by topic: the part whose title holds the words before 那部分
    assert plan(assistant, "科技创新那部分分哪几个方面？").groups[0].ref.startswith("八")


def test_a_list_across_sections_cites_every_section_that_names_the_subject(assistant):
    ev = plan(assistant, "哪些地方提到了黄河？")
    assert ev.kind == "cross" and len(ev.groups) >= 3
    # the plan's words for the subject: 黄河 itself and 沿黄 (synonyms.tsv)
    assert ev.facts["terms"] == ["黄河", "沿黄"]
    assert all(any(t in line for t in ("黄河", "沿黄")) for g in ev.groups for line in g.lines)
    every = {p.ref for p in assistant.passages if p.level in ("sentence", "both") and ("黄河" in p.text or "沿黄" in p.text)}
    assert {g.ref for g in ev.groups} == every
    text = assistant.ask("哪些地方提到了黄河？").text
    assert text.startswith(f"计划中有{len(ev.groups)}处提到“黄河”") and "第二部分：" in text


def test_hydrogen_is_found_under_every_word_the_plan_uses_for_it(assistant):
    ev = plan(assistant, "计划里哪里提到了氢能？")
    lines = [line for g in ev.groups for line in g.lines]
    assert len(ev.groups) == 5 and all(any(w in line for w in ("氢能", "绿氢", "氢氨醇", "氢储")) for line in lines)


def test_a_multi_part_question_answers_each_part_and_says_which_part_the_plan_lacks(assistant):
    ev = plan(assistant, "粮食产量和人均预期寿命分别是多少？")
    assert ev.kind == "multi" and len(ev.parts) == 2
    assert ev.parts[0].kind == "figure" and ev.parts[1].refused
    text = assistant.ask("粮食产量和人均预期寿命分别是多少？").text
    assert "840亿斤" in text and "没有给出" in text


@pytest.mark.parametrize("question,verdict", [
    ("粮食产量目标是900亿斤吧？", "wrong"),
    ("粮食产量目标是超过840亿斤，对吗？", "right"),
    ("听说今年要新建30个500千伏输变电工程，是这样吗", "wrong"),
])
def test_a_stated_figure_is_checked_against_the_plan(assistant, question, verdict):
    ev = plan(assistant, question)
    assert ev.kind == "premise" and ev.facts["verdict"] == verdict
    text = assistant.ask(question).text
    assert text.startswith("不是") == (verdict == "wrong")


def test_a_figure_the_plan_does_not_state_is_never_confirmed(assistant):
    ev = plan(assistant, "全区旅游收入是5000亿元吧？")
    assert ev.kind == "premise" and ev.facts["verdict"] == "unknown"
    assert "无法确认" in assistant.ask("全区旅游收入是5000亿元吧？").text


def test_follow_ups_by_position_use_the_previous_answers_items(assistant):
    listing = assistant.ask("专栏1分几类？")
    history = [{"role": "user", "content": "专栏1分几类？"},
               {"role": "assistant", "content": listing.text, "citations": [c.to_json() for c in listing.citations]}]
    ev = plan(assistant, "第四个展开讲讲", history)
    assert ev.kind == "ordinal" and ev.facts["n"] == 4 and ev.groups[0].ref == "专栏1·污染防治攻坚战"
    # with only citations (no numbered lines), the items are the cited refs in order
    bare = [{"role": "user", "content": "专栏1"}, {"role": "assistant", "content": "见下方出处。",
                                                   "citations": [c.to_json() for c in listing.citations]}]
    assert plan(assistant, "上面第二个具体怎么做", bare).groups[0].ref == "专栏1·生态保护和修复"
    owned = plan(assistant, "这一项归谁管？", [{"role": "assistant", "content": "防沙治沙1500万亩 [专栏1·“三北”工程攻坚战]"}])
    assert owned.kind == "ownership" and owned.groups[0].ref == "专栏1·“三北”工程攻坚战"


def test_an_ownership_answer_says_what_the_plan_says_and_what_is_inferred(assistant):
    text = assistant.ask("防沙治沙任务由哪个部门牵头？").text
    assert "计划未写明牵头部门。按部门职能推断：牵头：" in text and "（推断依据：" in text


def test_a_quiz_requested_in_chat(assistant, doc):
    ev = plan(assistant, "出3道关于专栏1的判断题")
    questions = ev.facts["questions"]
    assert ev.kind == "quiz" and len(questions) == 3 and {q.kind for q in questions} == {"truefalse"}
    assert all(q.ref in scope_refs(doc, "专栏1") for q in questions)
    text = assistant.ask("出3道关于专栏1的判断题").text
    assert len(re.findall(r"^\d\. 【判断】", text, re.M)) == 3 and "答案：" in text


def test_a_target_in_words_answers_a_figure_question(assistant):
    ev = plan(assistant, "居民收入增长的目标是多少？")
    assert ev.kind in ("figure", "qualitative") and "与经济增长同步" in ev.groups[0].lines[0]


def test_english_questions_get_an_english_lead_line(assistant):
    text = assistant.ask("What is the GDP growth target?").text
    assert text.splitlines()[0].startswith("The plan's figure: 5%左右 — 地区生产总值") and "5%左右 [主要预期目标]" in text or \
        "5%左右" in text.splitlines()[1]
    # a target the plan does not set: said first, the related text marked as related, never another figure
    missing = assistant.ask("How much will the region spend on fixed-asset investment?")
    first = missing.text.splitlines()[0]
    assert first == "The plan does not state a target for “fixed-asset investment” (固定资产投资)."
    assert "1万亿元" not in missing.text


def test_refusals_stay_strict(assistant):
    for question in ("明天呼和浩特天气怎么样？", "广东省今年GDP目标是多少？", "帮我写一首诗"):
        assert plan(assistant, question).refused, question


def test_the_region_comes_from_the_plans_header(doc):
    raw = resources.files("assistant.data").joinpath(BUNDLED_PLAN).read_text(encoding="utf-8")  # issued elsewhere
    other = parse(raw.replace("内蒙古自治区人民政府", "宁夏回族自治区人民政府", 1))
    text = compose.refusal_text(refusal("other_region", region="广东"), other)
    assert "宁夏回族自治区" in text and "内蒙古" not in text


@pytest.mark.parametrize("question,said", [
    ("计划里有没有提到低空经济？", "低空"),
    ("鼻炎、哮喘这些病的防治计划里说了吗？我们单位好几个人都犯", "过敏性鼻炎"),  # the remark is no subject
    ("机场、高铁站叫网约车总没地方停车，有没有这方面的安排？", "网约车专用停车区"),  # told in many words
    ("Does the plan mention a fund for rare earths?", "设立稀土产业基金"),  # fund: the nearest plan word
    ("今年有搞火箭卫星这类航天产业的安排吗", "商业航天"),  # the kind after 这类 is the subject
    ("机场那边叫网约车停车难，计划里有说法没", "网约车专用停车区"),  # 那边: no word of the subject
])
def test_a_yes_no_question_about_what_the_plan_says_is_answered_yes_with_the_place(assistant, question, said):
    ev = plan(assistant, question)
    assert ev.kind == "yesno" and ev.facts["present"]
    text = assistant.ask(question).text
    assert text.startswith(("有。", "Yes.")) and said in text


@pytest.mark.parametrize("question,subject", [
    ("有没有提到房地产税？", "房地产税"),  # 房地产 is there, 税 of it is not
    ("计划里有没有举办马拉松的安排？", "举办马拉松"),  # 赛事 is broader than 马拉松
    ("计划里说了预制菜吗？我们这边很多人关心。", "预制菜"),  # one question and a remark, not two parts
    ("今年有核电站项目的安排吗", "核电站项目"),
])
def test_a_yes_no_question_about_what_the_plan_never_says_is_answered_not_mentioned(assistant, question, subject):
    ev = plan(assistant, question)
    assert ev.kind == "yesno" and not ev.facts["present"]
    assert assistant.ask(question).text.startswith(f"计划没有提到“{subject}”")


@pytest.mark.parametrize("question,verdict", [
    ("乌兰布和到浙江那条输电通道，计划里是争取尽快核准，对吧？", "right"),  # 到 for 至, 那条: the plan's clause
    ("库布其到上海那条输电通道，计划里是争取尽快核准，对吧？", "not_said"),  # 上海's clause says 尽快开工
])
def test_a_claim_is_held_against_one_clause_of_a_list_sentence(assistant, question, verdict):
    ev = plan(assistant, question)
    assert ev.kind == "claim" and ev.facts["verdict"] == verdict
    text = assistant.ask(question).text
    assert text.startswith("是的") if verdict == "right" else text.startswith("不是")


def test_a_number_inside_a_name_is_no_stated_figure(assistant):
    """PM2.5 names the indicator; the question states no figure to check."""
    ev = plan(assistant, "PM2.5要控制在多少？")
    assert ev.kind == "figure" and "25微克/立方米以下" in assistant.ask("PM2.5要控制在多少？").text


def test_a_claim_with_a_condition_the_plan_does_not_set_is_not_confirmed(assistant):
    ev = plan(assistant, "养老服务消费补贴是60岁以上老人都能领吧？")
    assert ev.kind == "premise" and ev.facts["verdict"] == "not_said"
    text = assistant.ask("养老服务消费补贴是60岁以上老人都能领吧？").text
    assert text.startswith("不是") and "中度以上失能老年人" in text


def test_a_place_list_asked_as_the_places_that_speak_of_a_subject(assistant):
    """讲X的地方有哪些 asks for every place, even with examples after it (养老金、养老服务…这些)."""
    for question in ("计划里讲养老的地方有哪些？", "计划里讲养老的地方有哪些？养老金、养老服务、养老保险这些"):
        ev = plan(assistant, question)
        assert ev.kind == "cross" and len(ev.groups) >= 3
        assert assistant.ask(question).text.startswith(f"计划中有{len(ev.groups)}处提到“养老”")


def test_an_overview_of_a_part_named_by_a_word_of_its_title(assistant):
    """农牧业 stands in one part's title alone: "…农牧业的事，总体怎么安排" is that part's overview."""
    ev = plan(assistant, "种粮养畜这些农牧业的事，今年总体怎么安排的")
    assert ev.kind == "overview" and ev.facts["ref"] == "五" and ev.facts["n_children"] == 3
    assert [g.ref for g in ev.groups] == ["五", "五(一)", "五(二)", "五(三)"]


def test_a_count_of_what_stands_before_de_you_jige(assistant):
    """"…示范市的有几个城市": the places listed before the thing they are to become."""
    ev = plan(assistant, "支持争创全国民族团结进步示范市的有几个城市？")
    assert ev.kind == "count" and ev.facts["count"] == 3 and ev.facts["items"] == ["通辽市", "乌兰察布市", "乌海市"]


def test_expanding_an_item_named_like_a_column_row_quotes_its_section_at_length(assistant):
    """水资源管理和节约利用 is a 专栏 row and, as 强化…, a section: 具体怎么做 quotes the section's body."""
    history = [{"role": "user", "content": "生态这部分讲了什么"},
               {"role": "assistant", "content": "包括：“三北”工程攻坚战、生态保护和修复、水资源管理和节约利用、"
                                                "污染防治攻坚战、“双碳”引领推动全面绿色转型等五个方面。"}]
    ev = plan(assistant, "第三个具体怎么做？", history)
    assert ev.kind == "ordinal" and ev.groups[0].ref == "二(三)" and len(ev.groups[0].lines) > 6


def test_a_story_in_everyday_words_is_not_said_to_be_absent(assistant):
    """No word of the story is the plan's: "有说法没" is answered by meaning, not "计划没有提到…"."""
    question = "每天上下班路上堵得走不动，停个车还被乱收钱，今年有说法没？"
    assert plan(assistant, question).kind != "yesno"
    assert "高峰堵车" in assistant.ask(question).text
