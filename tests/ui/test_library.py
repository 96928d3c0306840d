"""The law library (法律法规查询, issue 18) in the real app at 1080x1920, with real taps on the pinyin keyboard and the
cards; scenarios in tests/ui/scenarios_library.py, screenshots in tests/_artifacts/ui/library_*.png."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_search_by_typing_then_read_an_article_and_its_neighbour(display, tmp_path):
    report = run_scenario("library_search", display, tmp_path, full_panel=True)
    assert report["topics"][:2] == ["劳动争议与欠薪", "交通事故"] and report["topics"][-1] == "公证指引"
    assert report["typed"] == "拖欠工资"
    assert report["message"] == "找到20条，最相关的在前面。点一条看全文。"
    assert report["results"][0] in {"劳动法  第五十条", "劳动合同法  第三十条", "劳动争议调解仲裁法  第九条"}
    assert set(report["first_marked"]) >= {"拖欠", "工资"}
    assert "[color=b3261e]拖欠[/color]" in report["first_markup"]
    law, label, status = report["article"]
    assert report["results"][0] == f"{law}  {label}" and status.startswith("现行有效 · ")
    assert report["paragraphs"] and all(report["paragraphs"])
    assert report["next"][0] == law and report["next"][1] != label
    assert report["kept"] == [True, "拖欠工资"]  # back from the article: the same cards and words
    assert report["back_to"] == "按事项查看"
    assert report["new_visit"] == ["", "按事项查看", 19]  # the next citizen sees none of it
    searched, opened, stepped = report["usage"]   # counted once each (back to the cards is not a new search)
    assert searched == ["library.search", {"found": 20}]
    assert opened[0] == "library.article" and opened[1]["via"] == "search" and opened[1]["rank"] == 1
    assert stepped[1]["via"] == "step" and stepped[1]["law"] == opened[1]["law"]
    for shot in ("home", "topics", "typing", "results", "article"):
        assert (ARTIFACTS / f"library_search-{shot}.png").stat().st_size > 5000


def test_browse_topic_law_chapter_article_and_back(display, tmp_path):
    report = run_scenario("library_browse", display, tmp_path, full_panel=True)
    assert report["inheritance_laws"] == ["民法典  第六编 继承"]
    assert [c[0] for c in report["chapters"]] == ["第一章 一般规定", "第二章 法定继承", "第三章 遗嘱继承和遗赠",
                                                  "第四章 遗产的处理"]
    assert report["chapters"][2][1] == "第一千一百三十三条—第一千一百四十四条"
    assert report["articles"][0] == "民法典  第一千一百三十三条" and len(report["articles"]) == 12
    assert report["article"] == ["第一千一百三十四条", "自书遗嘱由遗嘱人亲笔书写，签名，注明年、月、日。",
                                 "现行有效 · 2020年5月28日版", "第三章 遗嘱继承和遗赠"]
    assert report["trail"] == ["第三章 遗嘱继承和遗赠", "民法典 第六编 继承", "继承", "按事项查看"]
    assert report["labor_laws"] == ["劳动合同法", "劳动法", "劳动争议调解仲裁法", "保障农民工工资支付条例"]
    assert report["wage_chapters"][0] == ["第一章 总则", "第一条—第十条"] and len(report["wage_chapters"]) == 7
    for shot in ("chapters", "articles", "article", "labor_laws", "wage_chapters"):
        assert (ARTIFACTS / f"library_browse-{shot}.png").stat().st_size > 5000


def test_pufa_cards_turn_on_the_attract_screen_and_lead_into_the_consultation(display, tmp_path):
    """The card turns by itself; 普法学习 → a card → its three pages → 我遇到了这种事 → that topic's consultation."""
    report = run_scenario("pufa", display, tmp_path, full_panel=True)
    assert report["turned"][0] != report["turned"][1]  # it turned by itself while nobody touched it
    assert report["turned_topics"][0] != report["turned_topics"][1]  # a topic at a time
    assert report["opened"] == ["上下班路上出了车祸，算工伤吗？", 0, True]  # from its first page, in a session
    assert report["pages"] == ["法律怎么说", "常见误区", "先做什么"]
    assert report["usage"] == [["pufa.read", {"card": "work_injury_commute", "topic": "work_injury"}]]
    screen, flow, topic = report["consultation"]
    assert screen in ("consent", "consult") and flow == topic
    assert len(report["listed"]) >= 48  # three cards a topic, a topic's cards together
    assert report["listed"][:3] == ["工资被拖欠，怎么办？", "干了活没签合同，怎么办？", "被单位辞退，能要补偿吗？"]
    # the cards below the edge are counted on the line under the list, which goes with the list when a card opens
    assert report["list_hint"].startswith("↓ 下面还有") and report["list_hint_while_open"] is False
    assert report["page_hint_shown"] is False
    for shot in ("attract", "card_page1", "card_last", "list"):
        assert (ARTIFACTS / f"pufa-{shot}.png").stat().st_size > 5000


def test_a_cited_provision_opens_its_article_which_prints_and_has_its_qr_code(display, tmp_path):
    """From the opinion's statutes to the article; 打印这一条 on the simulated printer (text in the printer's font,
    the QR code's payload, the cut); 扫码看原文; back to the opinion with the statutes still open."""
    report = run_scenario("library_cited", display, tmp_path, full_panel=True,
                          env={"KIOSK_LEGAL_AID__VERIFY_URL": "https://sfj.example.gov.cn/v"})
    name, number, back_to = report["article"]
    assert report["citation"].startswith(f"《{name}》第") and back_to == "opinion"
    url, names_article = report["link"]
    assert names_article and url.startswith("https://sfj.example.gov.cn/v?p=")   # a law the pack gives a code
    lines = report["printed_lines"]
    assert f"《{name}》" in "".join(lines) and any(line.startswith("本条文供查阅参考") for line in lines)
    assert report["printed_qr"] == [url] and report["printed_cut"] == 1
    assert report["session_in_use"] is True   # an article on paper carries nothing of the citizen: no wipe
    assert report["qr_still_shown"] is True
    opened, printed = report["usage"]
    assert opened == ["library.article", {"law": printed[1]["law"], "article": number, "via": "opinion"}]
    assert printed == ["library.printed", {"law": opened[1]["law"], "article": number, "ok": True}]
    law_open, law_paragraphs, button_below_view_top_px = report["back"]
    assert law_open is True and law_paragraphs > 0 and 0 <= button_below_view_top_px < 40   # where the reader was
    for shot in ("opinion_law", "article", "printed", "qr", "back"):
        assert (ARTIFACTS / f"library_cited-{shot}.png").stat().st_size > 5000
