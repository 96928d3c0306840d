"""Scenario of plain answers: buttons worded for their question (不知道, 签了 / 没签 / 不清楚), the progress line
第 N 题 / 共 M 题, and 不清楚 carried into the review and the opinion."""

from __future__ import annotations

from datetime import timedelta

from tests.ui.harness import Driver, find_buttons, find_buttons_by_title
from tests.ui.scenarios_citizen import start_session

TAPPED = {"situation": "已经不干了", "employer_type": "包工头带去工地干活", "site_company": "不知道",
          "contract": "不清楚", "evidence": "考勤表、工牌、工资条、转账或微信聊天记录",
          "employer_stance": "不承认，或者对数目有争议", "migrant": "是"}
"""The labor flow's buttons tapped, by the words the citizen reads on them."""
SHOTS = {"site_company": "know", "contract": "signed", "migrant": "yesno"}


async def open_labour_consultation(d: Driver) -> None:
    """From the home screen: the topic list, the labour flow, the ID card offer declined, its first question."""
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    await d.tap_widget(find_buttons(d.app.screen("topics"), d.kiosk.consultations.pack.flow("labor").title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.skip"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")


async def scenario_plain_answers(d: Driver) -> None:
    """劳动争议: left on a date the citizen cannot say, an amount they cannot say, a site company they do not know."""
    await start_session(d)
    await open_labour_consultation(d)
    consult = d.app.screen("consult")
    typed = {"left_date": "unsure", "owed_since": d.kiosk.clock.today() - timedelta(days=200), "amount": "unsure"}
    d.report["steps"] = {}
    while consult.interview.state.value == "asking":
        await d.input_ready(consult)
        page = consult.interview.page
        d.report["steps"][page.id] = consult.step_text
        if page.id in SHOTS:
            await d.shot(SHOTS[page.id])
        if page.id in TAPPED:
            await d.tap_widget(find_buttons(consult, TAPPED[page.id])[0])
        else:          # the date picker and keypad are another screen's work: answer through the screen's submit
            consult.submit(typed[page.id])
            await d.frames(2)
        await d.until(lambda: consult.interview.state.value != "asking" or consult.interview.page.id != page.id,
                      f"page after {page.id}")
    d.report["review"] = {item.page_id: item.answer for item in consult.interview.review()}
    await d.input_ready(consult)
    await d.shot("review")
    await d.tap_widget(find_buttons(consult, d.app._("consult.review.issue"))[0])
    await d.until(lambda: d.on_screen("opinion"), "opinion screen")
    opinion = d.kiosk.citizen.opinion
    d.report["facts"] = [[fact.question, fact.answer] for fact in opinion.facts]
    d.report["deadlines"] = [deadline.label for deadline in opinion.deadlines]
    d.report["risks"] = list(opinion.risks)
    await d.shot("opinion")


SCENARIOS = {"plain_answers": scenario_plain_answers}


RIGHTS_TAPPED = {"situation": "想问加班费、年休假、试用期、签合同的事", "rights_issue": "试用期的事：定得太长、工资太低，或者试用期里被辞退",
                 "probation_issue": "试用期里被单位辞退了", "rights_employer": "公司、工厂、单位，或者开店、开作坊的个体户"}
"""The labour flow's rights branch, tapped by the words on the buttons: a worker dismissed in probation."""


async def scenario_labour_rights(d: Driver) -> None:
    """劳动争议 in 长辈模式: not wages owed, a dismissal in probation; the branch's long options must fit the panel."""
    await start_session(d)
    await d.set_elderly(True)
    await open_labour_consultation(d)
    consult = d.app.screen("consult")
    d.report["pages"] = []
    while consult.interview.state.value == "asking":
        await d.input_ready(consult)
        page = consult.interview.page
        d.report["pages"].append(page.id)
        await d.shot(page.id)
        if page.id in RIGHTS_TAPPED:
            await d.tap_widget(find_buttons(consult, RIGHTS_TAPPED[page.id])[0])
        else:          # the date picker is another screen's work: answer through the screen's submit
            consult.submit(d.kiosk.clock.today() - timedelta(days=10))
            await d.frames(2)
        await d.until(lambda: consult.interview.state.value != "asking" or consult.interview.page.id != page.id,
                      f"page after {page.id}")
    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, d.app._("consult.review.issue"))[0])
    await d.until(lambda: d.on_screen("opinion"), "opinion screen")
    opinion = d.kiosk.citizen.opinion
    d.report["outcome"] = opinion.title
    d.report["deadlines"] = [deadline.label for deadline in opinion.deadlines]
    await d.shot("opinion")


SCENARIOS["labour_rights"] = scenario_labour_rights
