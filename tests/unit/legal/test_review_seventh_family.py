"""Seventh review (session 28): the family, injury and criminal flows walked as the citizens of real answered
consultations, and the gaps a lawyer found last session closed with the article in force.

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

CIVIL_CODE = "中华人民共和国民法典"
CRIMINAL_PROCEDURE = "中华人民共和国刑事诉讼法"
STATE_COMPENSATION = "中华人民共和国国家赔偿法"
LEGAL_AID_LAW = "中华人民共和国法律援助法"
DIVORCED = {"violence": "no", "both_agree": "divorced"}
RELATIVE = {"role": "family", "special": "none", "afford": "can_afford"}
HEIRS_UNDIVIDED = {"relation": "child", "will": "none", "agree": "disputed", "divided": "undivided"}


def test_a_mother_divorcing_her_childs_stepfather_reads_he_owes_support_only_if_he_agrees_and_the_father_still_owes(
        pack):
    """民法典 1072: a stepparent who raised a stepchild has a parent's duties; when that stepparent divorces the
    child's parent and will not keep raising the child, the child stays with its own parent (婚姻家庭编解释（一）54,
    in words), whose other parent still owes support (1085). A mother could pick only support, visits or custody."""
    step = consult(pack, "marriage_family", {**DIVORCED, "after_divorce": "stepchild"})
    assert step.outcome.id == "child_matters" and {1072, 1085} <= articles(step, CIVIL_CODE)
    assert says(step, "继父、继母不同意再抚养这个孩子的，孩子仍由亲生的一方抚养")
    assert says(step, "孩子另一位亲生的父亲或者母亲，仍然要给孩子抚养费") and says(step, "法律没有明说")
    assert 31 in articles(step, LEGAL_AID_LAW)
    own = consult(pack, "marriage_family", {**DIVORCED, "after_divorce": "support"})
    assert 1072 not in articles(own, CIVIL_CODE) and not says(own, "继父")


def test_a_man_held_in_criminal_detention_then_let_go_with_the_case_dropped_reads_when_the_state_pays(pack):
    """国家赔偿法 17(1): detention against the law or beyond the time limit of 刑事诉讼法 91, followed by a dropped
    case, no prosecution or an acquittal, is paid for; 21 names the body that decided it; 39: two years, custody not
    counted. The criminal flow had no path for someone wrongly held."""
    held = consult(pack, "criminal", {"role": "compensation", "custody": "detained_only", "ended": "dropped",
                                      "decision_date": date(2026, 10, 9)})
    assert held.outcome.id == "state_compensation"
    assert {17, 19, 21, 22, 23, 24, 25, 33, 39} <= articles(held, STATE_COMPENSATION)
    assert 91 in articles(held, CRIMINAL_PROCEDURE) and 31 in articles(held, LEGAL_AID_LAW)
    assert says(held, "拘留合法、没有超期的，一般不赔") and says(held, "向决定拘留的机关（一般是公安局）要求赔偿")
    assert says(held, "不用交任何费用")
    assert due(held) == {"要国家赔钱的最后一天（按您收到决定书的日子估算）": date(2028, 10, 9)}


def test_an_arrested_man_released_without_any_paper_reads_the_claim_waits_for_the_case_to_end(pack):
    """国家赔偿法 17(2), 21: after an arrest the body that decided it pays once the case is dropped, not prosecuted
    or acquitted; a man released on bail with no such paper reads that his case may still be open, and when a
    long-idle case counts as ended (刑事赔偿解释 2, in words); no deadline is made up for him."""
    pending = consult(pack, "criminal", {"role": "compensation", "custody": "arrested", "ended": "pending"})
    assert pending.outcome.id == "state_compensation" and 17 in articles(pending, STATE_COMPENSATION)
    assert says(pending, "一般要等案子有了这样的结果，才能要求赔偿") and says(pending, "解除或者到期已经一年多")
    assert says(pending, "向决定逮捕的机关（一般是批准逮捕的检察院）要求赔偿")
    assert due(pending) == {}


def test_a_man_beaten_in_custody_reads_the_state_pays_without_waiting_and_the_two_years_run_from_release(pack):
    """国家赔偿法 17(4), 39: a beating or torture in custody is paid for whatever the case's end, and the two years
    do not count the time held."""
    beaten = consult(pack, "criminal", {"role": "compensation", "custody": "beaten",
                                        "release_date": date(2026, 10, 30)})
    assert beaten.outcome.id == "state_compensation" and says(beaten, "这不用等案子结了")
    assert not says(beaten, "国家不赔的情况")
    assert due(beaten) == {"要国家赔钱的最后一天（按放出来的日子估算）": date(2028, 10, 30)}


def test_a_wife_whose_husband_is_in_criminal_detention_reads_how_long_he_may_be_held_and_when_she_must_be_told(pack):
    """刑事诉讼法 85, 91, 99: notice within 24 hours but for the two exceptions the law names; three days to ask for
    arrest, seven at most, thirty for roving, repeated or gang crime, seven for the procuratorate; a measure past
    its term is lifted on the family's request. A wife asking how long and whether she is told read only 'special
    cases' and no time limit."""
    held = consult(pack, "criminal", {**RELATIVE, "stage": "detained", "notified": "no"})
    assert {85, 91, 99} <= articles(held, CRIMINAL_PROCEDURE)
    assert says(held, "二十四小时内通知家属") and says(held, "只有两种情况可以先不通知")
    assert says(held, "特殊情况可以延长到七日") and says(held, "最长可以延长到三十日")
    assert says(held, "检察院要在七日内决定批不批准逮捕") and says(held, "有权要求解除")
    assert not says(held, "逮捕后，公安侦查")


def test_a_family_whose_relative_is_arrested_reads_each_stage_limit_and_no_exception_beyond_the_one_the_law_gives(
        pack):
    """刑事诉讼法 93, 156, 172, 208: after an arrest the family is told within 24 hours unless it cannot be reached;
    two months of investigation custody and the extensions, a month (plus fifteen days) for the procuratorate, two
    to three months for the first trial."""
    arrested = consult(pack, "criminal", {**RELATIVE, "stage": "arrested", "notified": "unsure"})
    assert {93, 156, 99} <= articles(arrested, CRIMINAL_PROCEDURE)
    assert says(arrested, "逮捕后，除了没法通知的，公安要在二十四小时内通知家属")
    assert not says(arrested, "恐怖活动")
    assert says(arrested, "关押一般不超过二个月") and says(arrested, "一般要在一个月内决定起不起诉")
    assert says(arrested, "一审一般在二个月内宣判，最迟三个月")
    trial = consult(pack, "criminal", {**RELATIVE, "stage": "trial", "notified": "yes"})
    assert 208 in articles(trial, CRIMINAL_PROCEDURE) and 156 not in articles(trial, CRIMINAL_PROCEDURE)
    bailed = consult(pack, "criminal", {**RELATIVE, "stage": "bail", "notified": "yes"})
    assert 99 not in articles(bailed, CRIMINAL_PROCEDURE) and not says(bailed, "人关着的")


def test_a_mother_suing_for_divorce_reads_the_support_measure_the_weight_of_where_the_child_lives_and_a_stepchilds_lot(
        pack):
    """民法典 1084, 1085: the parent not raising the child pays support, measured by need, means and local living
    (婚姻家庭编解释（一）49: 20-30% of a fixed monthly income), and a child long with one parent is preferred there
    (46, in words). A mother whose husband working away gave nothing read only that the court decides."""
    suing = consult(pack, "marriage_family", {"violence": "no", "both_agree": "one_side", "children": "two_to_eight",
                                              "property": "little", "fault": "none"})
    assert suing.outcome.id == "litigation" and {1084, 1085} <= articles(suing, CIVIL_CODE)
    assert says(suing, "一般按他月收入的百分之二十到三十给") and says(suing, "法院会优先考虑让孩子继续跟这一方")
    assert says(suing, "继父或者继母离婚后不愿意再抚养的，由亲生的父亲或者母亲抚养")
    agreed = consult(pack, "marriage_family", {"violence": "no", "both_agree": "agreed_all", "children": "over_eight",
                                               "property": "little", "fault": "none"})
    assert agreed.outcome.id == "registry" and says(agreed, "继父或者继母离婚后不愿意再抚养的")
    childless = consult(pack, "marriage_family", {"violence": "no", "both_agree": "one_side", "children": "none",
                                                  "property": "little", "fault": "none"})
    assert not says(childless, "月收入的百分之二十") and not says(childless, "继父")


def test_a_bus_passenger_hurt_by_a_broken_rail_reads_the_carrier_pays_without_proof_of_its_fault(pack):
    """民法典 823: a carrier answers for a passenger's injury in carriage unless it comes from his own health or he
    is proved to have caused it on purpose or by gross negligence. A passenger hurt on a bus with no crash could
    pick only the shops-and-stations option, which reads a fault-based duty of care (1198)."""
    rider = consult(pack, "personal_injury", {"cause": "vehicle", "harm": "hospital", "injury_date": date(2026, 11, 20),
                                              "own_fault": "none", "talks": "refused"})
    assert rider.outcome.id == "claim" and 823 in articles(rider, CIVIL_CODE)
    assert 1198 not in articles(rider, CIVIL_CODE)
    assert says(rider, "不用您证明他们有过错") and says(rider, "故意、重大过失")


def test_a_cyclist_whose_accident_the_police_could_not_explain_reads_that_the_car_still_pays_unless_it_proves_fault(
        pack):
    """道路交通安全法 76(1)(2): against a pedestrian or cyclist the motor vehicle pays, less only for the victim's
    proven fault, at most a tenth beyond the compulsory cover if it was blameless; a 事故证明 may be reviewed like a
    liability report (道路交通事故处理程序规定 71). An e-bike rider with no CCTV and no liability finding could
    only pick a liability share."""
    answers = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 10), "report": "issued",
               "report_date": date(2026, 11, 18), "liability": "unclear", "other_party": "insured", "talks": "refused"}
    rider = consult(pack, "traffic_accident", answers)
    assert rider.outcome.id == "claim" and 76 in articles(rider, "中华人民共和国道路交通安全法")
    assert 71 in articles(rider, "道路交通事故处理程序规定")
    assert says(rider, "没分责任，不等于不能要赔偿") and says(rider, "超出交强险的部分最多赔一成")
    assert says(rider, "行车记录仪录像")
    widow = consult(pack, "traffic_accident", {**answers, "harm": "death"})
    assert widow.outcome.id == "fatal" and says(widow, "没分责任，不等于不能要赔偿")
    settled = consult(pack, "traffic_accident", {**answers, "liability": "full"})
    assert not says(settled, "没分责任")


def test_heirs_at_the_notary_read_that_a_house_can_often_be_registered_without_a_notarised_inheritance(pack):
    """不动产登记暂行条例实施细则 14 (in words): heirs may register an inherited house with the death record, the will
    or all statutory heirs' agreement and the kinship papers; a notarised paper is one option, not a must. A grandson
    asking whether the notary is needed read only how to notarise (公证法 11)."""
    heirs = consult(pack, "notarization", {"matter": "inheritance", "heirs_agree": "all_agree", "will": "no"})
    assert heirs.outcome.id == "inheritance" and 11 in articles(heirs, "中华人民共和国公证法")
    assert says(heirs, "继承公证不是非办不可") and says(heirs, "不动产登记中心")


def test_a_family_waiting_for_the_liability_report_reads_how_long_the_traffic_police_may_take(pack):
    """道路交通事故处理程序规定 62 (in words, working days under 112): ten days from the scene investigation, five
    from a test or appraisal result, ten from catching a runaway driver. A family asking when the report of a fatal
    crash comes read only to keep the receipts."""
    answers = {"harm": "death", "side": "victim", "accident_date": date(2026, 11, 10), "report": "pending",
               "other_party": "insured", "talks": "not_started"}
    fatal = consult(pack, "traffic_accident", answers)
    assert fatal.outcome.id == "fatal" and says(fatal, "交警一般要在现场调查后十个工作日内出认定书")
    hurt = consult(pack, "traffic_accident", {**answers, "harm": "injured"})
    assert hurt.outcome.id == "claim" and says(hurt, "在结果出来后五个工作日内出")
    issued = consult(pack, "traffic_accident", {**answers, "report": "issued", "report_date": date(2026, 11, 18),
                                                "liability": "full"})
    assert not says(issued, "十个工作日内出认定书")


def test_a_friend_on_bail_two_months_at_the_procuratorate_reads_its_decision_period_and_that_the_case_goes_on(pack):
    """刑事诉讼法 172, 208, 79: a case on bail still runs the procuratorate's month (plus fifteen days, restarted
    after a return for more investigation) and the court's months; bail ends, the case does not. A man asking
    whether two months without charge meant the time to prosecute had passed read only the bail rules."""
    bailed = consult(pack, "criminal", {**RELATIVE, "stage": "bail", "notified": "yes"})
    assert 79 in articles(bailed, CRIMINAL_PROCEDURE)
    assert says(bailed, "一般要在一个月内决定起不起诉") and says(bailed, "一审一般在二个月内宣判")
    assert says(bailed, "放回家不等于案子结了")


def test_a_man_acquitted_on_retrial_reads_that_legal_aid_for_his_compensation_claim_has_no_means_test(pack):
    """法律援助法 32(3): a person acquitted on retrial who claims state compensation gets legal aid whatever his
    means; 国家赔偿法 21: the court of the original judgment pays. Others read the means-tested route of 31(1)."""
    acquitted = consult(pack, "criminal", {"role": "compensation", "custody": "convicted",
                                           "decision_date": date(2026, 9, 1)})
    assert acquitted.outcome.id == "state_compensation" and 32 in articles(acquitted, LEGAL_AID_LAW)
    assert acquitted.legal_aid.verdict.value == "likely" and "不看家里经济" in acquitted.legal_aid.reason
    assert says(acquitted, "向作出原来判决的法院要求赔偿")
    held = consult(pack, "criminal", {"role": "compensation", "custody": "detained_only", "ended": "dropped",
                                      "decision_date": date(2026, 9, 1)})
    assert 32 not in articles(held, LEGAL_AID_LAW) and held.legal_aid.verdict.value == "not_assessed"


def test_a_family_whose_patient_was_operated_on_without_their_consent_reads_the_emergency_exception(pack):
    """民法典 1219, 1220: informed consent is owed before an operation, but a patient in mortal danger may be treated
    at once with the hospital head's approval when neither he nor his family can be asked; faulty treatment is still
    paid for. A family read that any treatment without consent is paid for."""
    family = consult(pack, "medical", {"patient": "family", "problem": "no_consent", "harm": "worse",
                                       "event_date": date(2026, 11, 1), "records": "copied", "stance": "denies"})
    assert family.outcome.id == "claim" and {1219, 1220} <= articles(family, CIVIL_CODE)
    assert says(family, "经医院负责人批准，可以马上治疗") and says(family, "治疗本身有过错的，照样要赔")
    wrong = consult(pack, "medical", {"patient": "family", "problem": "wrong_treatment", "harm": "worse",
                                      "event_date": date(2026, 11, 1), "records": "copied", "stance": "denies"})
    assert 1220 not in articles(wrong, CIVIL_CODE)


def test_the_family_of_a_man_missing_for_years_reads_on_the_first_question_that_a_court_must_declare_him_dead(pack):
    """民法典 46, 48: the estate of someone missing opens only once a court declares him dead, after four years, or
    two after an accident. A wife whose husband vanished found nothing in a flow that assumes a death."""
    relation = pack.flow("inheritance").pages["relation"]
    assert "要先请法院宣告死亡" in relation.help and "下落不明满四年" in relation.help and "满二年" in relation.help


def test_town_registered_children_read_they_may_inherit_and_register_their_parents_village_house(pack):
    """民法典 1122: a village house is the deceased's estate; the homestead it stands on is not inherited alone but
    registered with the house, also for a child now registered in a town (the natural resources ministry's practice,
    in words). Children with a town hukou read only 'ask the natural resources office', and nothing in a dispute."""
    agreed = consult(pack, "inheritance", {"relation": "child", "will": "none", "estate": "rural_house",
                                           "agree": "agreed"})
    assert agreed.outcome.id == "settle" and says(agreed, "子女已经是城镇户口的，也可以继承这房子")
    disputed = consult(pack, "inheritance", {**HEIRS_UNDIVIDED, "estate": "rural_house"})
    assert disputed.outcome.id == "estate_dispute" and says(disputed, "房子下面的宅基地跟着房子一起登记")
    town = consult(pack, "inheritance", {**HEIRS_UNDIVIDED, "estate": "house"})
    assert not says(town, "宅基地")


def test_a_walker_hit_by_an_uninsured_tricycle_whose_driver_cannot_pay_reads_of_judicial_aid_and_no_insurer_to_sue(
        pack):
    """A man hit by an uninsured electric tricycle whose driver cannot pay read that he may sue the insurer too;
    with no insurer he sues the driver (and an owner at fault, 民法典 1209), and a victim left in hardship by a
    judgment that cannot be paid may ask the court about judicial aid (国家司法救助, said as a question to ask)."""
    answers = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 10), "report": "issued",
               "report_date": date(2026, 11, 18), "liability": "full", "other_party": "uninsured", "talks": "refused"}
    walker = consult(pack, "traffic_accident", answers)
    assert walker.outcome.id == "claim" and says(walker, "看能不能申请司法救助")
    assert not says(walker, "可以把保险公司一起告") and says(walker, "告开车的人")
    insured = consult(pack, "traffic_accident", {**answers, "other_party": "insured"})
    assert says(insured, "可以把保险公司一起告") and not says(insured, "司法救助")


def test_a_family_whose_relative_is_held_at_a_designated_residence_reads_it_must_be_told_within_a_day(pack):
    """刑事诉讼法 75: residential surveillance at a designated place is notified to the family within 24 hours
    unless it cannot be reached. A family not told read only the arrest and detention rule."""
    watched = consult(pack, "criminal", {**RELATIVE, "stage": "bail", "notified": "no"})
    assert 75 in articles(watched, CRIMINAL_PROCEDURE)
    assert says(watched, "只能住在公安指定的地方受监视的，除了没法通知的，也要在二十四小时内通知家属")
    told = consult(pack, "criminal", {**RELATIVE, "stage": "bail", "notified": "yes"})
    assert 75 not in articles(told, CRIMINAL_PROCEDURE) and not says(told, "公安指定的地方受监视")
