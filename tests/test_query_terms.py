"""A question in other words than the plan's: English, everyday Chinese, a part named by number or
title, generic words. Real plan, real index; questions written for these tests."""

from importlib import resources

import pytest

from assistant.chat import condense
from assistant.config import Config
from assistant.documents.parse import load_text
from assistant.documents.targets import dictionary_names
from assistant.retrieval.lexical import EVERYDAY, GLOSSARY, english_terms, plan_words, topic_tokens


def test_every_table_term_is_the_plans_word():
    plan_text = load_text(Config.load().plan)
    for name, table in (("glossary.tsv", GLOSSARY), ("colloquial.tsv", EVERYDAY)):
        missing = sorted({t for terms in table.values() for t in terms if t not in plan_text})
        assert not missing, f"{name}: not in the plan: {missing[:10]}"
    blockers = [key for key, terms in GLOSSARY.items() if not terms]
    assert blockers == ["inner mongolia"]  # a key with no terms only shadows a shorter one (mongolia)
    assert all(EVERYDAY.values())


def test_tables_have_no_tab_damage():
    for name in ("glossary.tsv", "colloquial.tsv"):
        text = resources.files("assistant.data").joinpath(name).read_text(encoding="utf-8")
        bad = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#") and ln.count("\t") != 1]
        assert not bad, f"{name}: {bad[:3]}"


def test_english_phrases_singular_and_plural():
    assert "高中" in english_terms("How many places in senior high schools?")
    assert "口岸" in english_terms("Which border ports will be upgraded?")
    assert english_terms("ports") == english_terms("port")
    assert "中蒙" not in english_terms("GDP of Inner Mongolia")  # the region, not the country
    assert english_terms("passport") == []  # whole words only


def test_everyday_words_get_the_plans_terms():
    assert "医保" in plan_words("孩子看病太贵了有什么办法？")
    assert "居民消费价格" in plan_words("物价会涨吗")
    assert plan_words("粮食产量目标") == []  # the plan's own words need nothing


def test_topic_words_drop_generic_words_with_their_pieces():
    assert topic_tokens(["内蒙", "蒙古", "内蒙古", "煤炭", "产量", "区", "2026"]) == ["煤炭", "产量"]


def test_indicator_names_are_kept_whole(doc):
    names = dictionary_names(doc)
    assert "奶产量" in names and "煤炭产量" in names
    assert "地区生产总值增长" not in names  # the plan also writes 地区生产总值 alone
    assert "新能源开发利用" in names  # a 专栏 row label


@pytest.mark.parametrize("question,ref", {
    "第十二部分有哪些举措？": "十二",
    "四（三）里说了什么？": "四(三)",
    "消费者权益保护工程今年做什么？": "专栏3·消费者权益保护工程",
    "三北工程攻坚战有哪些任务目标？": "专栏1·“三北”工程攻坚战",  # quotes left out
}.items())
def test_a_part_named_by_number_or_title_comes_first(assistant, question, ref):
    assert assistant.retriever.named_by_title(question)[0] == ref
    assert assistant.retrieve(question, k=3)[0].ref == ref


def test_generic_words_do_not_decide_bm25(assistant):
    scored = assistant.retriever.score("2026年全区奶产量是多少？")
    best = int(scored.bm25.argmax())
    assert assistant.passages[best].ref == "五(一)"


def test_everyday_question_reaches_the_section(assistant):
    refs = [h.ref for h in assistant.retrieve("冬天家里暖气不热，有人管吗？", k=3)]
    assert refs[0] == "十三(十)"


def test_everyday_indicator_is_answered_with_the_plans_figure(assistant):
    answer = assistant.ask("那物价呢？", [{"role": "user", "content": "粮食产量目标是多少？"}])
    assert not answer.refused and "居民消费价格涨幅2%左右" in answer.text
    assert [c.ref for c in answer.citations] == ["主要预期目标"]





def test_issuer_and_date_of_the_notice_together(assistant):
    answer = assistant.ask("这份通知是谁发的？哪天印发的？")
    assert "2026年2月13日" in answer.text and "内蒙古自治区人民政府" in answer.text
    assert "牵头" not in answer.text  # not taken for a question about a department's task


def test_quoted_code_is_not_a_figure(assistant):
    answer = assistant.ask("今年全区经济增长的预期目标是多少？")
    assert "1571" not in answer.text


def test_followup_that_asks_on_its_own_keeps_its_words():
    history = [{"role": "user", "content": "普惠性幼儿园覆盖率今年要达到多少？"}]
    assert condense("那老人有啥补贴吗？", history) == "老人有啥补贴吗"
    assert condense("那原油呢？", history).startswith("原油")


def test_when_of_a_task_is_not_the_notice_date(assistant):
    answer = assistant.ask("老旧小区改造什么时候完成？")
    assert "2026年2月13日" not in answer.text


def test_addressees_of_the_notice(doc, assistant):
    assert doc.header["addressees"].startswith("各盟行政公署")
    answer = assistant.ask("这份通知主要发给哪些单位？")
    assert "各盟行政公署" in answer.text and [c.ref for c in answer.citations] == ["文头"]
    assert "各盟行政公署" not in assistant.ask("养老补贴发给哪些人？").text





def test_the_last_part_by_position(assistant):
    assert assistant.retriever.named_by_title("计划最后一部分讲了什么？") == ["十四"]



def test_two_figures_in_one_question(assistant):
    answer = assistant.ask("新建绿色矿山多少座？水土流失综合治理多少万亩？")
    assert "50座" in answer.text and "1128万亩" in answer.text


def test_a_story_is_not_a_live_data_or_ownership_question(assistant):
    answer = assistant.ask("小时候村边挖完的矿坑到现在还光秃秃的，找谁都说不清，今年有没有说要修复历史遗留废弃矿山？")
    assert not answer.refused and "牵头" not in answer.text
    assert any(c.ref in ("二(二)", "专栏1·生态保护和修复") for c in answer.citations)


ANSWERED = {  # question -> a string the answer must contain
    "粮食总产量要达到多少？": "840亿斤",  # the plan says 粮食产量
    "下雨天村里的土路没法走，今年农村公路新改建多少公里？": "5000公里",  # 下雨 is not a weather question
    "库布其至河北输电通道建设有什么安排？": "库布其至河北输电通道",  # a province the plan names, in its context
    "我们厂规模小，贷款难，有啥门路？": "小微企业融",  # 规模小 describes, it does not ask for a figure
    "国家级零碳园区要建哪几个？": "鄂尔多斯蒙苏经济开发区",  # the 专栏 row naming them, below the section's measures
}
REFUSED = {  # question -> a string of the refusal's reason
    "全区人均预期寿命要达到多少岁？": "数字",  # no figure shares a word with it
    "今年全区要新建多少个5G基站？": "5G基站",  # the plan never names the counted thing
    "自治区统计局的联系电话是多少？": "联系方式",
    "我在赤峰有套房，你觉得今年该卖吗？": "个人",
    "手里有20万，买理财还是存定期更划算？": "个人",
    "What's the tourism revenue target for 2026?": "数字",
    "河北省今年的粮食产量目标是多少？": "河北",  # named by the plan, but not as the question's subject
}


@pytest.mark.parametrize("question,expected", ANSWERED.items())
def test_answered_with_the_plans_figure(assistant, question, expected):
    answer = assistant.ask(question)
    assert not answer.refused and expected in answer.text, answer.text


@pytest.mark.parametrize("question,reason", REFUSED.items())
def test_refused_with_its_reason(assistant, question, reason):
    answer = assistant.ask(question)
    assert answer.refused and reason in answer.text, answer.text


def test_which_aspects_is_a_list_question():
    from assistant.intent import question_kind

    assert question_kind("总体要求里讲的几个“稳”具体是哪几个方面？") == "list"
    assert question_kind("新建几个国家物流枢纽？") == "number"
    assert question_kind("What is the target for grain output?") == "number"
